class ReviewRefused(Exception):
    """Raised with a Chinese message saying why the action is not possible."""
