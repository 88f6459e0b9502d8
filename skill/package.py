"""The ASK CLI skill package: skill.json with the AudioPlayer interface, and the models."""

from __future__ import annotations

import json
from pathlib import Path

from builder.library import Library

from .models import LOCALES, interaction_model

SUMMARY = "Guided self-massage on your mat, by voice."
DESCRIPTION = (
    "Mat Coach keeps up the progress you make with your massage therapist between "
    "appointments. It guides you through self-massage routines for the foam roller, spiky "
    "ball, soft chi ball and warm wheat bag, with exact timed cues: when to start, when to "
    "switch sides, how long is left. Say pause, resume, next or repeat that at any time. "
    "Self-massage is not a substitute for professional care; stop if you feel sharp pain.")
EXAMPLES = ("Alexa, open mat coach", "Alexa, ask mat coach to start the lower back release",
            "Alexa, ask mat coach what can I do with a spiky ball")


def manifest(base_url: str) -> dict:
    """skill.json: publishing text per locale, the https endpoint, the AudioPlayer interface."""
    locale_text = {"name": "Mat Coach", "summary": SUMMARY, "description": DESCRIPTION,
                   "examplePhrases": list(EXAMPLES),
                   "keywords": ["massage", "foam roller", "stretching", "recovery"]}
    return {"manifest": {
        "manifestVersion": "1.0",
        "publishingInformation": {
            "locales": {locale: locale_text for locale in LOCALES},
            "category": "HEALTH_AND_FITNESS", "isAvailableWorldwide": True},
        "privacyAndCompliance": {
            "allowsPurchases": False, "usesPersonalInfo": False, "isChildDirected": False,
            "isExportCompliant": True, "containsAds": False,
            "locales": {locale: {} for locale in LOCALES}},
        "apis": {"custom": {
            "endpoint": {"uri": f"{base_url.rstrip('/')}/alexa",
                         "sslCertificateType": "Trusted"},
            "interfaces": [{"type": "AUDIO_PLAYER"}]}},
        # Disabling the skill deletes the person's place, plan links and history
        # (skill/handlers/events.py SkillDisabledHandler).
        "events": {
            "endpoint": {"uri": f"{base_url.rstrip('/')}/alexa",
                         "sslCertificateType": "Trusted"},
            "subscriptions": [{"eventName": "SKILL_DISABLED"}]},
    }}


def write_package(library: Library, folder: Path, base_url: str) -> list[Path]:
    """Write the ASK CLI v2 layout under `folder`; returns the files written."""
    package = folder / "skill-package"
    models = package / "interactionModels" / "custom"
    models.mkdir(parents=True, exist_ok=True)
    written = [package / "skill.json"]
    written[0].write_text(json.dumps(manifest(base_url), indent=2) + "\n", encoding="utf-8")
    model = json.dumps(interaction_model(library), indent=2, ensure_ascii=False) + "\n"
    for locale in LOCALES:
        path = models / f"{locale}.json"
        path.write_text(model, encoding="utf-8")
        written.append(path)
    return written
