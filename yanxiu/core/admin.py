class ReadOnlyAdmin:
    """For objects that change only through their workflow (and its audit trail), never in the admin."""

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
