"""The AWS Lambda entry point: the same skill through ask-sdk's Lambda handler."""

import pytest

from matcoach import lambda_function
from skill.store import SqliteAdapter

from ..served import launch_envelope


@pytest.fixture
def environment(monkeypatch, tmp_path, library_dir, tracks_dir):
    monkeypatch.setenv("MATCOACH_SKILL_ID", "amzn1.ask.skill.lambda")
    monkeypatch.setenv("MATCOACH_AUDIO_DIR", str(tracks_dir))
    monkeypatch.setenv("MATCOACH_ROUTINES", str(library_dir))
    monkeypatch.setenv("MATCOACH_BASE_URL", "https://cdn.example.com")


def test_a_launch_through_the_lambda_handler(environment, tmp_path):
    handler = lambda_function.make_handler(SqliteAdapter(tmp_path / "db.sqlite"))
    response = handler(launch_envelope(skill_id="amzn1.ask.skill.lambda"), None)
    assert "Welcome to Mat Coach" in response["response"]["outputSpeech"]["ssml"]


@pytest.mark.parametrize("intent", ["ShareCodeIntent", "PlayPlanIntent"])
def test_without_a_plans_store_codes_and_plans_are_said_to_be_unavailable(environment,
                                                                          tmp_path, intent):
    """On Lambda (no plans store yet, issue 17) a code opens nothing, and says so."""
    handler = lambda_function.make_handler(SqliteAdapter(tmp_path / "db.sqlite"))
    envelope = launch_envelope(skill_id="amzn1.ask.skill.lambda")
    envelope["request"] = {**envelope["request"], "type": "IntentRequest", "intent": {
        "name": intent, "confirmationStatus": "NONE",
        "slots": {"code": {"name": "code", "value": "481516", "confirmationStatus": "NONE"}}
        if intent == "ShareCodeIntent" else {}}}
    response = handler(envelope, None)
    assert "Therapists' plans can't be opened on this Mat Coach" in \
        response["response"]["outputSpeech"]["ssml"]
    assert response["response"]["shouldEndSession"] is True


def test_the_lambda_keeps_places_in_dynamodb(environment, monkeypatch):
    # boto3 needs a region to build its client; nothing is contacted until a request.
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    monkeypatch.setenv("MATCOACH_DYNAMODB_TABLE", "mat-places")
    from ask_sdk_dynamodb.adapter import DynamoDbAdapter
    adapter = lambda_function.dynamodb_adapter()
    assert isinstance(adapter, DynamoDbAdapter)
    assert adapter.table_name == "mat-places" and adapter.create_table is False


def test_the_lambda_needs_only_the_cue_sheets(environment, tmp_path, tracks_dir, monkeypatch):
    sheets = tmp_path / "sheets"
    sheets.mkdir()
    for sheet in tracks_dir.glob("*.json"):
        (sheets / sheet.name).write_bytes(sheet.read_bytes())
    monkeypatch.setenv("MATCOACH_AUDIO_DIR", str(sheets))
    handler = lambda_function.make_handler(SqliteAdapter(tmp_path / "db.sqlite"))
    response = handler(launch_envelope(skill_id="amzn1.ask.skill.lambda"), None)
    assert "You could try Shoulder knot, or Warm breath" in \
        response["response"]["outputSpeech"]["ssml"]


def test_the_lambda_refuses_to_start_without_a_skill_id(environment, monkeypatch):
    from matcoach.config import ConfigError
    monkeypatch.setenv("MATCOACH_SKILL_ID", "")
    with pytest.raises(ConfigError, match="Set MATCOACH_SKILL_ID"):
        lambda_function.make_handler(SqliteAdapter)


def test_the_lambda_refuses_to_start_without_an_https_address(environment, monkeypatch):
    from matcoach.config import ConfigError
    monkeypatch.delenv("MATCOACH_BASE_URL")
    with pytest.raises(ConfigError, match="Set MATCOACH_BASE_URL to the https address"):
        lambda_function.make_handler(SqliteAdapter)


def test_the_lambda_answers_a_malformed_event_empty_and_an_unknown_type_as_fallback(
        environment, tmp_path, caplog):
    """Lambda has no status to give: an event that is not a well-formed envelope gets an
    empty response and one log line, before any handler (or the store) sees it."""
    import logging
    db = tmp_path / "db.sqlite"
    handler = lambda_function.make_handler(SqliteAdapter(db))
    envelope = launch_envelope(skill_id="amzn1.ask.skill.lambda")
    malformed = {**envelope, "context": {"System": {**envelope["context"]["System"],
                                                    "user": None}}}
    caplog.set_level(logging.WARNING)
    assert handler(malformed, None) == {"version": "1.0", "response": {}}
    assert [r.getMessage() for r in caplog.records] == [
        "refused a request: context.System.user is missing"]
    unknown = {**envelope, "request": {**envelope["request"], "type": "Foo.Bar"}}
    assert "Sorry, I didn't get that" in \
        handler(unknown, None)["response"]["outputSpeech"]["ssml"]
    silent = {**envelope, "request": {**envelope["request"], "type": "AudioPlayer.New"}}
    assert handler(silent, None) == {"version": "1.0", "response": {}}
