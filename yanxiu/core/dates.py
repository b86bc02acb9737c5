"""Dates as Chinese official documents write them."""


def chinese_date(day):
    """2026年1月16日"""
    return f"{day.year}年{day.month}月{day.day}日"
