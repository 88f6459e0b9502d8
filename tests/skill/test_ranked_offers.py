"""Ranked recommendations and "more" (issue 11), through the endpoint, on a library of
five routines that use the spiky ball: three made for it, two that use it for a moment."""

import textwrap

import pytest

from audio.maker import TrackMaker
from builder.library import load_library
from matcoach.app import create_app, shelf_of
from skill.device import Device

from ..served import BASE_URL, SKILL_ID, play, speech

MADE_FOR_THE_BALL = {
    "ball-feet": ("Ball under the feet", "feet", "Roll the ball under your foot."),
    "ball-back": ("Ball at the wall", "upper-back", "Lean back onto the ball."),
    "ball-glutes": ("Ball for the seat", "glutes", "Sit on the ball."),
}
USING_IT_A_LITTLE = {
    "roller-and-ball": ("Roller and ball", "foam-roller", "thighs"),
    "soft-and-spiky": ("Soft and spiky", "chi-ball", "arms"),
}


def routine_files() -> dict[str, str]:
    files = {}
    for rid, (title, area, say) in MADE_FOR_THE_BALL.items():
        files[rid] = f"""
            title: {title}
            summary: The spiky ball, all the way.
            equipment: [spiky-ball]
            intro: Have the ball ready.
            steps:
              - title: {title}
                say: {say}
                equipment: spiky-ball
                body_area: {area}
                work: 8s
                lead_in: 1s
            outro: Done.
            """
    for rid, (title, other, area) in USING_IT_A_LITTLE.items():
        files[rid] = f"""
            title: {title}
            summary: Mostly something else, the ball for a moment.
            equipment: [{other}, spiky-ball]
            intro: Have both ready.
            steps:
              - title: The long part
                say: Work slowly.
                equipment: {other}
                body_area: {area}
                work: 20s
                lead_in: 1s
              - title: The ball
                say: Roll the ball under your foot.
                equipment: spiky-ball
                body_area: feet
                work: 4s
                lead_in: 1s
            outro: Done.
            """
    return files


@pytest.fixture(scope="module")
def ball_tracks(tmp_path_factory, piper, encoder, cache_dir):
    library = tmp_path_factory.mktemp("ball-library")
    for rid, text in routine_files().items():
        (library / f"{rid}.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    tracks = tmp_path_factory.mktemp("ball-tracks")
    maker = TrackMaker(piper, encoder, cache_dir, tracks)
    for routine in load_library(library).routines.values():
        maker.make(routine)
    return library, tracks


@pytest.fixture
def ball_device(tmp_path, ball_tracks, authority, fetcher, signer):
    library, tracks = ball_tracks
    app = create_app({
        "SKILL_ID": SKILL_ID, "BASE_URL": BASE_URL, "AUDIO_DIR": str(tracks),
        "DATABASE": str(tmp_path / "matcoach.sqlite"), "LIBRARY_DIR": str(library),
        "VERIFY_REQUESTS": True, "TRUST_ROOTS": [authority.root], "CERT_FETCH": fetcher,
    })
    client = app.test_client()

    def send(envelope: dict) -> dict:
        import json
        body = json.dumps(envelope).encode("utf-8")
        reply = client.post("/alexa", data=body, content_type="application/json",
                            headers=signer.headers(body))
        assert reply.status_code == 200, reply.get_data(as_text=True)
        return reply.get_json()

    return Device(skill_id=SKILL_ID, send=send, length_of=shelf_of(app).length_of)


def test_routines_made_for_the_equipment_come_first_then_more(ball_device):
    offered = speech(ball_device.intent("ListRoutinesIntent",
                                        {"equipment": ("spiky ball", "spiky-ball")}))
    assert offered.startswith("What fits best: ")
    named, _, rest = offered.removeprefix("What fits best: ").partition(". ")
    assert set(named.replace(", or ", ", ").replace(" or ", ", ").split(", ")) == \
        {title for title, _, _ in MADE_FOR_THE_BALL.values()}
    assert rest == ("There are two more: say, more, to hear them. Which would you like?")
    more = speech(ball_device.intent("MoreIntent"))
    named = more.removeprefix("You could also try ").removesuffix(". Which would you like?")
    first, _, second = named.partition(" or ")
    assert {first, second} == {"Roller and ball", "Soft and spiky"}
    # "The second one" is the second of those just named.
    chosen = ball_device.intent("ChooseIntent", {"choice": ("second", "2")})
    ids = {"Roller and ball": "roller-and-ball", "Soft and spiky": "soft-and-spiky"}
    assert play(chosen)["token"].startswith(f"{ids[second]}:")


def test_more_when_everything_was_said(ball_device):
    ball_device.intent("RecommendIntent", {"equipment": ("spiky ball", "spiky-ball")})
    ball_device.intent("MoreIntent")
    again = speech(ball_device.intent("MoreIntent"))
    assert again.startswith("That's everything that fits. You could try ")
    assert "Roller and ball" in again and "Soft and spiky" in again


def test_an_area_narrows_and_ranks(ball_device):
    said = speech(ball_device.intent("RecommendIntent", {"area": ("feet", "feet")}))
    # Three routines work the feet; the one made for them comes first.
    assert said.startswith("What fits best: Ball under the feet, ")
    assert "more" not in said
