"""Phone numbers formatted as the platform formats them, with libphonenumber (``phonenumbers`` is
Google's libphonenumber ported to Python, the library the platform uses).

``${fmt_ph:path}`` is the national format with the US as the region of a number written without
a country code, and ``INVALID NUMBER`` for a number libphonenumber does not validate. The
``@{fmt_ph FORMAT[:sep:C] NUMBER}`` function adds the other formats and a separator between digit
groups, so text-to-speech reads a number group by group.
"""

from __future__ import annotations

import re

__all__ = ["FORMATS", "INVALID", "format_number", "national"]

INVALID = "INVALID NUMBER"
FORMATS = ("national", "international", "e164", "rfc3966")
_GROUP = re.compile(r"[0-9]+")


def national(value: str) -> str:
    """``${fmt_ph:...}``: the national format, US by default.

    Example:
        >>> national("+15035550100"), national("5035550100"), national("12")
        ('(503) 555-0100', '(503) 555-0100', 'INVALID NUMBER')
    """
    return format_number(value, "national")


def format_number(value: str, style: str, separator: str | None = None) -> str:
    """``value`` in ``style`` (one of FORMATS, any case; anything else is national), with the
    digit groups joined by ``separator`` when one is given.

    Example:
        >>> format_number("+442079460958", "international")
        '+44 20 7946 0958'
        >>> format_number("+15035550100", "national", "-")
        '503-555-0100'
    """
    import phonenumbers

    try:
        number = phonenumbers.parse(value, "US")
    except phonenumbers.NumberParseException:
        return INVALID
    if not phonenumbers.is_valid_number(number):
        return INVALID
    kind = {
        "international": phonenumbers.PhoneNumberFormat.INTERNATIONAL,
        "e164": phonenumbers.PhoneNumberFormat.E164,
        "rfc3966": phonenumbers.PhoneNumberFormat.RFC3966,
    }.get(style.lower(), phonenumbers.PhoneNumberFormat.NATIONAL)
    text = str(phonenumbers.format_number(number, kind))
    if separator is None:
        return text
    prefix = "+" if text.startswith("+") else ""
    return prefix + separator.join(_GROUP.findall(text))
