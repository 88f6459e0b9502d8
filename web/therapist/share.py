"""What a therapist hands a client: the plan's private link, its QR code (SVG, drawn here
by segno, a well-kept QR library, so no picture comes from another site), and its
private podcast feed."""

from __future__ import annotations

import io
from dataclasses import dataclass

import segno
from flask import url_for
from markupsafe import Markup

from plans import PlanView

from ..views import public_url


@dataclass(frozen=True)
class Share:
    link: str
    """The plan's private page, as an absolute URL (MATCOACH_BASE_URL when set)."""
    feed: str
    qr: Markup
    """The link as a QR code: an inline SVG element, titled for screen readers."""


def share_of(plan: PlanView) -> Share:
    base = public_url()
    link = base + url_for("private.plan_page", token=plan.token)
    return Share(link, base + url_for("private.feed", token=plan.token), qr_svg(link))


def qr_svg(text: str) -> Markup:
    """`text` as a QR code at error-correction level M (15 % of it may be smudged and it
    still reads; ISO/IEC 18004), an SVG element with a quiet zone of 4 modules, as the
    standard asks, and a title saying what it is."""
    out = io.BytesIO()
    # omitsize: a viewBox and no fixed size, so that the page's style sizes it whole.
    segno.make(text, error="m").save(out, kind="svg", scale=4, border=4, xmldecl=False,
                                     svgns=True, title="QR code of the plan's private link",
                                     nl=False, omitsize=True)
    # segno writes the text it encodes nowhere in the SVG but the drawing itself: the
    # element is ours, and safe to put in the page as it is.
    return Markup(out.getvalue().decode("ascii"))
