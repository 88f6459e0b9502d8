"""Every word the skill says is plain text until it reaches Alexa: escape it for SSML there.

Handlers build replies from routine titles, slot values and other outside text with
ask-sdk's `speak` and `ask`, which wrap the text in <speak> as it is. A title such as
"Neck & shoulders" then made the whole reply ill-formed SSML, which Alexa rejects, and a
slot value "<audio src='...'/>" became markup. The skill writes no SSML of its own, so one
response interceptor escapes all of it, whatever handler made the reply.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape

from ask_sdk_core.dispatch_components import AbstractResponseInterceptor
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response
from ask_sdk_model.ui import SsmlOutputSpeech

# Alexa refuses outputSpeech of 8,000 characters or more, tags included (ASK "Request and
# response JSON reference", Response body syntax: outputSpeech).
MAX_SSML_CHARS = 7999

# Characters XML 1.0 does not allow at all (C0 controls but tab, newline and return; lone
# surrogates; U+FFFE and U+FFFF): escaping cannot make them valid, so they are left out.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def ssml(text: str) -> str:
    """`text`, plain words, as a <speak> document Alexa accepts: &, < and > escaped,
    characters XML cannot hold removed, and cut at a word so that it stays under
    MAX_SSML_CHARS characters."""
    plain = _NOT_XML.sub("", text)
    document = f"<speak>{escape(plain)}</speak>"
    while len(document) > MAX_SSML_CHARS:
        plain = plain[:len(plain) - (len(document) - MAX_SSML_CHARS)].rsplit(" ", 1)[0]
        document = f"<speak>{escape(plain)}</speak>"
    return document


class EscapeSpeech(AbstractResponseInterceptor):
    """Rewrites the reply's speech and reprompt, which ask-sdk's response builder wrapped in
    <speak> unescaped, as well-formed SSML (see ssml)."""

    def process(self, handler_input: HandlerInput, response: Response | None) -> None:
        if response is None:
            return
        for speech in (response.output_speech,
                       response.reprompt.output_speech if response.reprompt else None):
            if isinstance(speech, SsmlOutputSpeech) and speech.ssml:
                speech.ssml = ssml(_unwrapped(speech.ssml))


def _unwrapped(document: str) -> str:
    """The text ask-sdk's `speak` put between <speak> and </speak>."""
    start, end = "<speak>", "</speak>"
    if document.startswith(start) and document.endswith(end):
        return document[len(start):-len(end)]
    return document
