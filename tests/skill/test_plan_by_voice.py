"""Issue 13: a therapist's plan by voice. A new listener says the code their therapist gave
them, hears it read back digit by digit, says yes, and has the plan: it is offered first
when the skill opens, "play my plan" starts it, its Play URL serves that plan's audio (and
nothing public does), and "what's next" and pause and resume work in it as in any routine.
A wrong, used or guessed code opens nothing; in a household, the plan is the person's who
said the code."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest

from plans.codes import PER_ACCOUNT, Codes
from skill.device import Device
from skill.models import interaction_model
from skill.nlu import Matcher
from skill.plans import heard_code

from ..served import speech
from ..web.test_plan_editor import Therapist
from ..web.test_plan_tracks import SHORT, saved
from ..web.therapists import accounts, plan_builds, therapist_app

BASE = "https://coach.example.org"
ROUTINE = {**SHORT, "title": "Right shoulder", "steps": [
    {**SHORT["steps"][0], "work": "8s"},
    {"title": "Shoulder roll", "say": "Roll your shoulders slowly.", "body_area": "shoulders",
     "work": "6s", "lead_in": "1s"}]}


@pytest.fixture(scope="module")
def shared(tmp_path_factory, piper, encoder, cache_dir, library_dir, tracks_dir):
    """An app with the built library where Ann's client has a built plan: the app, the
    plan's id and token."""
    app = therapist_app(tmp_path_factory.mktemp("voice"), BASE_URL=BASE,
                        LIBRARY_DIR=str(library_dir), AUDIO_DIR=str(tracks_dir))
    ann = Therapist(app, "ann@example.com")
    plan_id, token = saved(ann, ROUTINE)
    plan_builds(app, piper, encoder, cache_dir).step()
    return app, plan_id, token


@pytest.fixture
def app(shared):
    return shared[0]


def issue(app, plan_id: int) -> str:
    """A new code for the plan, as the therapist's "Make a new code" makes one."""
    store = accounts(app).store
    return Codes(store).issue(store.therapist_by_email("ann@example.com"), plan_id).code


def speaker(app, user: str, person: str | None = None) -> Device:
    client = app.test_client()

    def send(envelope: dict) -> dict:
        reply = client.post("/alexa", json=envelope)
        assert reply.status_code == 200, reply.get_data(as_text=True)
        return reply.get_json()

    return Device(skill_id="", send=send, user_id=f"amzn1.ask.account.{user}",
                  person_id=person, length_of=lambda token: 60_000 if token else 0)


def say_code(device: Device, code: str) -> str:
    return speech(device.intent("ShareCodeIntent", {"code": (code.lstrip("0") or "0", None)}))


def play_url(response: dict) -> str:
    directive = response["response"]["directives"][0]
    assert directive["type"] == "AudioPlayer.Play"
    return directive["audioItem"]["stream"]["url"]


def test_a_new_listener_says_the_code_and_the_plan_is_theirs(shared):
    app, plan_id, token = shared
    code = issue(app, plan_id)
    device = speaker(app, "NEW-LISTENER")
    heard = say_code(device, code)
    digits = ", ".join(("zero one two three four five six seven eight nine".split())[int(d)]
                       for d in code)
    assert heard == f"I heard {digits}. Is that right?"
    linked = speech(device.intent("AMAZON.YesIntent"))
    assert linked.startswith("That's your therapist's plan for you: Right shoulder.")
    assert linked.endswith("May they see it?"), "asked once whether progress is shared"
    answered = speech(device.intent("AMAZON.NoIntent"))
    assert answered.startswith("All right: nothing about your sessions goes to your therapist.")
    assert answered.endswith("Right shoulder takes about 1 minute. Shall I start it?")
    device.intent("AMAZON.StopIntent")

    welcome = device.launch()
    assert speech(welcome).startswith("Welcome to Mat Coach. Your therapist's plan for you: "
                                      "Right shoulder, about 1 minute.")
    started = device.intent("AMAZON.YesIntent")
    url = play_url(started)
    assert url.startswith(f"{BASE}/p/{token}/audio/") and url.endswith(".mp3")
    audio = app.test_client().get(urlsplit(url).path)
    assert audio.status_code == 200 and audio.mimetype == "audio/mpeg"
    assert audio.headers["Cache-Control"] == "no-store"
    built = app.config["PLAN_AUDIO_DIR"]
    build = urlsplit(url).path.rsplit("/", 1)[1].removesuffix(".mp3")
    with open(f"{built}/{token}/builds/{build}/plan.mp3", "rb") as mp3:
        assert audio.data == mp3.read(), "the plan's own audio"
    assert not app.test_client().get(f"/audio/{build}/plan.mp3").status_code == 200

    device.wait(3_000)
    assert speech(device.intent("WhatsNextIntent")).startswith("Next, in 6 seconds: Calf "
                                                               "press."), "the plan's own steps"
    device.intent("AMAZON.PauseIntent")
    resumed = device.intent("PlayPlanIntent")
    assert play_url(resumed) == url, "carries on in the build it started"


def test_play_my_plan_starts_it_and_a_listener_without_one_is_told_how_to_get_one(shared):
    app, plan_id, _ = shared
    code = issue(app, plan_id)
    stranger = speaker(app, "NO-PLAN")
    assert "don't have a plan from a therapist" in speech(stranger.intent("PlayPlanIntent"))
    assert "Your therapist's plan" not in speech(stranger.launch())
    device = speaker(app, "PLAY-MY-PLAN")
    say_code(device, code)
    device.intent("AMAZON.YesIntent")
    device.intent("AMAZON.StopIntent")
    started = device.intent("PlayPlanIntent")
    assert speech(started).startswith("Starting Right shoulder.")
    assert "/p/" in play_url(started)


def test_progress_is_shared_only_after_a_yes_and_stops_when_asked(shared):
    app, plan_id, _ = shared
    store = accounts(app).store
    ann = store.therapist_by_email("ann@example.com")
    device = speaker(app, "CONSENTING")
    say_code(device, issue(app, plan_id))
    device.intent("AMAZON.YesIntent")
    assert store.plan(ann, plan_id).progress_shared is None, "not before an answer"
    thanked = speech(device.intent("AMAZON.YesIntent"))
    assert thanked.startswith("Thank you: your therapist will see how your sessions go.")
    assert store.plan(ann, plan_id).progress_shared is True
    assert "/p/" in play_url(device.intent("AMAZON.YesIntent")), "then it starts"
    stopped = speech(speaker(app, "CONSENTING").intent("StopSharingProgressIntent"))
    assert stopped.startswith("Done: nothing about your sessions with Right shoulder goes")
    assert store.plan(ann, plan_id).progress_shared is False
    speaker(app, "CONSENTING").intent("ShareProgressIntent")
    assert store.plan(ann, plan_id).progress_shared is True
    stranger = speaker(app, "NOT-CONSENTING")
    assert "don't have a plan" in speech(stranger.intent("StopSharingProgressIntent"))
    assert store.plan(ann, plan_id).progress_shared is True, "only the plan's listener"
    issue(app, plan_id)
    assert store.plan(ann, plan_id).progress_shared is None, "a new code asks again"


def test_no_plan_plays_for_an_account_that_never_said_its_code(shared):
    """Session attributes come back from the device, and ids can be made up: naming a
    plan opens it for nobody (found by a hostile read of the handlers)."""
    app, plan_id, _ = shared
    owner = speaker(app, "OWNER")
    say_code(owner, issue(app, plan_id))
    owner.intent("AMAZON.YesIntent")
    intruder = speaker(app, "INTRUDER")
    intruder.launch()
    intruder.session_attributes = {"offered": [f"plan:{plan_id}"]}
    reply = intruder.intent("AMAZON.YesIntent")
    assert not [d for d in reply["response"].get("directives", [])
                if "/p/" in d.get("audioItem", {}).get("stream", {}).get("url", "")]
    for forged in (f"plan:{plan_id}", "plan:99999999999999999999", "plan:-1", "plan:x",
                   "plan:" + "9" * 60):
        intruder.session_attributes = {"offered": [forged]}
        assert intruder.intent("AMAZON.YesIntent")["response"].get("directives") in (None, [])


def link(device: Device, code: str, share: bool = False) -> None:
    """The code said and confirmed, and the question on progress answered."""
    say_code(device, code)
    device.intent("AMAZON.YesIntent")
    device.intent("AMAZON.YesIntent" if share else "AMAZON.NoIntent")


def test_a_plan_taken_back_mid_session_says_so_and_plays_for_nobody_else(shared):
    """Found by a hostile tester: after a new code, the listener who had the plan was
    welcomed back into it, and resumed it."""
    app, plan_id, _ = shared
    old = speaker(app, "OLD-LISTENER")
    link(old, issue(app, plan_id))
    old.intent("AMAZON.YesIntent")
    old.wait(4_000)
    old.intent("AMAZON.PauseIntent")
    link(speaker(app, "NEW-LISTENER"), issue(app, plan_id))
    assert "Right shoulder" not in speech(old.launch())
    gone = speech(old.intent("AMAZON.ResumeIntent"))
    assert gone.startswith("Your therapist's plan isn't available here any more")
    assert "/p/" not in json.dumps(old.intent("AMAZON.YesIntent")), "the offer is a routine"


def test_in_a_household_ones_plan_in_progress_is_not_offered_to_another(shared):
    app, plan_id, _ = shared
    jo = speaker(app, "HOME", person="amzn1.ask.person.JO")
    link(jo, issue(app, plan_id))
    jo.intent("AMAZON.YesIntent")
    jo.wait(4_000)
    jo.intent("AMAZON.PauseIntent")
    sam = speaker(app, "HOME", person="amzn1.ask.person.SAM")
    assert "Right shoulder" not in speech(sam.launch())
    nobody = speaker(app, "HOME")   # the voice not recognised: the account's speaker
    assert "Right shoulder" in speech(nobody.launch())


def test_a_plan_said_without_the_voice_recognised_is_every_persons_of_the_account(shared):
    app, plan_id, _ = shared
    code = issue(app, plan_id)
    link(speaker(app, "FAMILY"), code)
    jo = speaker(app, "FAMILY", person="amzn1.ask.person.JO")
    assert "Your therapist's plan for you: Right shoulder" in speech(jo.launch())
    say_code(jo, code)
    assert "already been used" not in speech(jo.intent("AMAZON.YesIntent"))


def test_no_to_starting_the_plan_leaves_a_library_routine_playing(shared, app):
    _, plan_id, _ = shared
    device = speaker(app, "LISTENING")
    device.intent("StartRoutineIntent", {"routine": ("calf care", "calf-care")})
    assert device.activity == "PLAYING"
    link(device, issue(app, plan_id))
    reply = device.intent("AMAZON.NoIntent")   # to "Shall I start it?"
    assert not [d for d in reply["response"].get("directives", [])
                if d["type"] == "AudioPlayer.Stop"]
    assert device.activity == "PLAYING"


def test_the_first_one_after_the_plan_is_offered_starts_it(shared):
    app, plan_id, _ = shared
    device = speaker(app, "FIRST-ONE")
    link(device, issue(app, plan_id))
    device.intent("AMAZON.StopIntent")
    device.launch()
    started = device.intent("ChooseIntent", {"choice": ("first one", "1")})
    assert "/p/" in play_url(started)


def test_stop_sharing_covers_every_plan_of_the_listener(shared):
    app, plan_id, _ = shared
    store = accounts(app).store
    ann = store.therapist_by_email("ann@example.com")
    client = store.add_client(ann, "K. L.")
    other = store.add_plan(ann, client, "Left knee", "title: Left knee\nsteps:\n"
                           "  - move: mat-breathing\n").id
    device = speaker(app, "TWO-PLANS")
    link(device, issue(app, plan_id), share=True)
    link(device, issue(app, other), share=True)
    stopped = speech(device.intent("StopSharingProgressIntent"))
    assert "your sessions with Left knee or Right shoulder goes" in stopped, "newest first"
    assert store.plan(ann, plan_id).progress_shared is False
    assert store.plan(ann, other).progress_shared is False


def test_a_misheard_code_is_said_again_before_anything_is_linked(shared):
    app, plan_id, _ = shared
    code = issue(app, plan_id)
    device = speaker(app, "MISHEARD")
    say_code(device, "123456" if code != "123456" else "654321")
    again = speech(device.intent("AMAZON.NoIntent"))
    assert again.endswith("What's the code?")
    say_code(device, code)
    assert "Right shoulder" in speech(device.intent("AMAZON.YesIntent"))


def test_seven_digits_are_read_back_and_asked_for_again(app):
    device = speaker(app, "NOT-SIX")
    reply = speech(device.intent("ShareCodeIntent", {"code": ("1234567", None)}))
    assert reply.startswith("A code has six digits, and I heard one, two, three, four, "
                            "five, six, seven.")
    assert reply.endswith("What's the code?")


@pytest.mark.parametrize("said", ["?", "48-15", "-481516", "1e6", "４８１５１６", " ",
                                  "9" * 400])
def test_what_is_no_number_is_not_read_back(app, said):
    """Alexa passes "?" for a number it could not make out (found by a hostile tester:
    "I heard ?.", and four hundred nines read aloud)."""
    device = speaker(app, "NOT-HEARD")
    reply = speech(device.intent("ShareCodeIntent", {"code": (said, None)}))
    assert reply.startswith("I didn't catch a code.") and reply.endswith("What's the code?")


def test_a_code_said_on_another_speaker_opens_nothing_here(shared):
    app, plan_id, _ = shared
    code = issue(app, plan_id)
    first = speaker(app, "FIRST")
    say_code(first, code)
    first.intent("AMAZON.YesIntent")
    second = speaker(app, "SECOND")
    say_code(second, code)
    assert "already been used by someone else" in speech(second.intent("AMAZON.YesIntent"))
    assert "Your therapist's plan" not in speech(second.launch())
    say_code(first, code)   # the same listener again (a re-enabled skill): still theirs
    assert "Right shoulder" in speech(first.intent("AMAZON.YesIntent"))


def test_a_new_code_takes_the_plan_back_from_the_speaker(shared):
    app, plan_id, _ = shared
    device = speaker(app, "TAKEN-BACK")
    say_code(device, issue(app, plan_id))
    device.intent("AMAZON.YesIntent")
    issue(app, plan_id)
    assert "don't have a plan from a therapist" in speech(device.intent("PlayPlanIntent"))


def test_guessing_stops_after_five_wrong_codes(shared):
    app, plan_id, _ = shared
    code = issue(app, plan_id)
    device = speaker(app, "GUESSER")
    wrong = [f"{n:06d}" for n in range(1000, 1000 + PER_ACCOUNT.most + 1) if
             f"{n:06d}" != code]
    for guess in wrong[:PER_ACCOUNT.most]:
        say_code(device, guess)
        assert "doesn't open a plan" in speech(device.intent("AMAZON.YesIntent"))
    say_code(device, code)
    refused = speech(device.intent("AMAZON.YesIntent"))
    assert refused.startswith("Too many codes have been tried. Please try again in about")


def test_in_a_household_the_plan_is_the_person_who_said_the_code(shared):
    app, plan_id, _ = shared
    code = issue(app, plan_id)
    jo = speaker(app, "HOUSEHOLD", person="amzn1.ask.person.JO")
    say_code(jo, code)
    jo.intent("AMAZON.YesIntent")
    sam = speaker(app, "HOUSEHOLD", person="amzn1.ask.person.SAM")
    assert "Your therapist's plan" not in speech(sam.launch())
    assert "Your therapist's plan" in speech(jo.launch())


@pytest.mark.parametrize(("said", "code"), [
    ("ask mat coach for code four eight one five one six", "481516"),
    ("alexa ask mat coach for code zero four eight one five one", "48151"),
    ("my code is nine nine nine nine nine nine", "999999"),
    ("code 481516", "481516"),
])
def test_the_model_hears_a_code_said_digit_by_digit(app, said, code):
    from matcoach.app import shelf_of
    understood = Matcher(interaction_model(shelf_of(app).library)).understand(said)
    assert understood.intent == "ShareCodeIntent"
    assert understood.slots["code"].value == code


@pytest.mark.parametrize(("said", "intent"), [
    ("play my plan", "PlayPlanIntent"), ("play my therapist's routine", "PlayPlanIntent"),
    ("start the plan my therapist gave me", "PlayPlanIntent"), ("my plan", "PlayPlanIntent"),
    ("ask mat coach to share my progress with my therapist", "ShareProgressIntent"),
    ("tell mat coach to stop sharing my progress", "StopSharingProgressIntent"),
    ("don't let my therapist see my sessions", "StopSharingProgressIntent"),
])
def test_the_model_hears_what_is_said_about_a_plan(app, said, intent):
    from matcoach.app import shelf_of
    assert Matcher(interaction_model(shelf_of(app).library)).understand(said).intent == intent


@pytest.mark.parametrize(("said", "code"), [("481516", "481516"), ("48151", "048151"),
                                            ("7", "000007"), (" 481516 ", "481516")])
def test_a_number_alexa_heard_is_a_code_with_its_zeros(said, code):
    assert heard_code(said) == code


@pytest.mark.parametrize("said", [None, "", "4815162", "48-15", "٤٨١٥١٦", "1e5", "?"])
def test_anything_else_is_not_a_code(said):
    assert heard_code(said) is None


def test_with_nothing_playing_the_plan_is_what_is_offered(shared):
    app, plan_id, _ = shared
    device = speaker(app, "NOTHING-PLAYING")
    link(device, issue(app, plan_id))
    device.intent("AMAZON.StopIntent")
    asked = speech(device.intent("WhatsNextIntent"))
    assert asked == ("There's no routine playing. Would you like to start your therapist's "
                     "plan, Right shoulder?")
    assert "/p/" in play_url(device.intent("AMAZON.YesIntent"))


def test_help_says_how_to_use_a_code(app):
    assert "If your therapist gave you a code, say, code, then its six digits" in \
        speech(speaker(app, "HELP").intent("AMAZON.HelpIntent"))


def test_the_simulator_names_and_times_a_plan_it_plays(shared):
    """Found by a newcomer: `matcoach simulate` showed a plan as "from 0:00 (?)", and
    its :wait never reached the end."""
    import io

    from matcoach.app import endpoint_sender, shelf_of
    from matcoach.plan_source import simulated_plans
    from skill.simulate import Simulator
    app, plan_id, _ = shared
    code = issue(app, plan_id)
    out = io.StringIO()
    shelf = shelf_of(app)
    simulator = Simulator(endpoint_sender(app), shelf, out, user_id="amzn1.ask.account.SIM",
                          plan_track=simulated_plans(app.config, lambda: shelf.library.context))
    words = " ".join(("zero one two three four five six seven eight nine".split())[int(d)]
                     for d in code)
    simulator.run([f"ask mat coach for code {words}", "yes", "no", "yes", ":wait 3s",
                   ":wait 10m"], prompt=False)
    shown = out.getvalue()
    assert "from 0:00 (Introduction)" in shown
    assert "(now at 0:03 of 0:40, Introduction, playing)" in shown
    assert "(now at 0:40 of 0:40, Finish, finished)" in shown, "a plan plays to its end"


def test_the_simulator_shows_no_plan_where_it_cannot_read_the_plans_store(tmp_path):
    """`simulate --url` on another data home: no plans database there (an empty file, no
    tables), or none that can be opened; a plan's token then names nothing."""
    from matcoach.plan_source import simulated_plans
    never = simulated_plans({"PLANS_URL": f"sqlite:///{tmp_path / 'none.sqlite'}",
                             "PLAN_AUDIO_DIR": str(tmp_path)}, lambda: None)
    assert never("plan:1:0123456789abcdef:ab12cd34", "amzn1.ask.account.SIM") is None
    unusable = simulated_plans({"PLANS_URL": "sqlite://", "PLAN_AUDIO_DIR": str(tmp_path)},
                               lambda: None)
    assert unusable("plan:1:0123456789abcdef:ab12cd34", "amzn1.ask.account.SIM") is None


def test_opening_the_skill_says_a_plan_is_on_its_way_while_it_is_built(tmp_path):
    """Found by a newcomer: with the plan linked but not built yet, opening the skill said
    "build the routines on your computer first"."""
    app = therapist_app(tmp_path, BASE_URL=BASE)
    ann = Therapist(app, "ann@example.com")
    plan_id, _ = saved(ann, ROUTINE)   # not built
    device = speaker(app, "WAITING")
    say_code(device, issue(app, plan_id))
    device.intent("AMAZON.YesIntent")
    device.intent("AMAZON.NoIntent")
    welcome = device.launch()
    assert speech(welcome) == ("Your therapist's plan, Right shoulder, is still being "
                               "prepared. Ask me again in a few minutes.")
    assert welcome["response"]["shouldEndSession"] is True


@pytest.mark.parametrize(("routine_id", "number"), [
    ("plan:7", 7), ("plan:007", 7), ("plan:", None), ("plan:-1", None), ("plan:1e3", None),
    ("plan:٣", None), ("plan:" + "9" * 13, None), ("calf-care", None), (None, None),
    ("plan:1:abc", None)])
def test_only_a_plan_id_a_plan_could_have_names_one(routine_id, number):
    """What the plans store and the history read a `plan:<id>` as (ids are 31 bits; other
    scripts' digits, signs and runs of digits too long for one are nobody's)."""
    from skill.plans import plan_number
    assert plan_number(routine_id) == number
