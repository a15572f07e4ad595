"""Map the network: up to fifteen contacts, a first name or nickname and a sector each.

intro -> name -> sector -> more -(add)-> name ...
  |       |-(same name)-> duplicate          `-(list)-> list -> edit -> rename / resector / remove
  |       `-("mieke mijn zus")-> check -(ja)-> more (Mieke, familie), or -> sector
  `-(nobody)-> none -> mapview.ideas         `-(done)-> ratings.intro  (none left: none)
"""

from __future__ import annotations

from typing import Any

from bot.effects import AddContact, RemoveContact, UpdateContact
from bot.flows.base import (
    CHOOSE_BUTTON,
    Answer,
    Flow,
    Option,
    Outcome,
    Prompt,
    Reprompt,
    Step,
    T,
    choice_only,
    choose,
    clean_text,
    text_reprompt_if_bad,
)
from bot.flows.people import contact_id_of, contact_value
from bot.model import MAX_NAME_LENGTH, SECTORS, Contact, Route
from bot.names import NameReading, Verdict, read_name

INTRO = "network.intro"
NAME = "network.name"
DUPLICATE = "network.duplicate"
SECTOR = "network.sector"
MORE = "network.more"
LIST = "network.list"
EDIT = "network.edit"
RENAME = "network.rename"
RESECTOR = "network.resector"
REMOVE = "network.remove"
NONE = "network.none"
CHECK = "network.check"


def has_contacts(route: Route) -> bool:
    return bool(route.contacts)


TRANSITIONS = [
    T("start", INTRO, NAME),
    T("nobody", INTRO, NONE),
    T("named", NAME, SECTOR),
    T("duplicate", NAME, DUPLICATE),
    T("done", NAME, "ratings.intro", has_contacts),
    T("done", NAME, NONE),
    T("list", NAME, LIST),
    T("check", NAME, CHECK),
    T("check", MORE, CHECK),
    T("added", CHECK, MORE),
    T("named", CHECK, SECTOR),
    T("duplicate", CHECK, DUPLICATE),
    T("retype", CHECK, NAME),
    T("other", DUPLICATE, NAME),
    T("same", DUPLICATE, MORE),
    T("added", SECTOR, MORE),
    T("add", MORE, NAME),
    T("named", MORE, SECTOR),
    T("duplicate", MORE, DUPLICATE),
    T("list", MORE, LIST),
    T("done", MORE, "ratings.intro", has_contacts),
    T("done", MORE, NONE),
    T("edit", LIST, EDIT),
    T("add", LIST, NAME),
    T("done", LIST, "ratings.intro", has_contacts),
    T("done", LIST, NONE),
    T("rename", EDIT, RENAME),
    T("resector", EDIT, RESECTOR),
    T("remove", EDIT, REMOVE),
    T("list", EDIT, LIST),
    T("saved", RENAME, LIST),
    T("saved", RESECTOR, LIST),
    T("saved", REMOVE, LIST),
    T("add", NONE, NAME),
    T("next", NONE, "mapview.ideas"),
]


# Conditions and small helpers -----------------------------------------------------------


def is_full(route: Route) -> bool:
    return len(route.contacts) >= route.settings.max_contacts


def editing(route: Route) -> Contact | None:
    return route.contact(route.session.cursor.get("contact"))


def sector_options() -> tuple[Option, ...]:
    return tuple(Option(key, f"sector.{key}") for key in SECTORS)


def count_context(route: Route) -> dict[str, Any]:
    return {"count": len(route.contacts), "max": route.settings.max_contacts}


def take_name(route: Route, answer: Answer) -> Outcome | Reprompt:
    """A typed name: checked, then on to its sector (or a question about a twin)."""
    if is_full(route):
        return Reprompt("network/full", count_context(route))
    name = clean_text(answer.value)
    problem = text_reprompt_if_bad(name, MAX_NAME_LENGTH)
    if problem:
        return problem
    reading = read_name(name)
    if reading.verdict is Verdict.NAME:
        return named(route, name)
    if reading.verdict is Verdict.CONFIRM:
        if route.contact_named(reading.name):
            return Outcome("duplicate", cursor={"name": reading.name})
        return Outcome("check", cursor={"name": reading.name, "sector": reading.sector})
    return name_refused(route, reading)


def named(route: Route, name: str) -> Outcome:
    if route.contact_named(name):
        return Outcome("duplicate", cursor={"name": name})
    return Outcome("named", cursor={"name": name})


def name_refused(route: Route, reading: NameReading) -> Outcome | Reprompt:
    """No name in the answer: "niemand" ends the list; else a kind word and again."""
    if reading.verdict is Verdict.NOBODY:
        return Outcome("done", cursor={})
    if reading.verdict is Verdict.TOO_LONG:
        return Reprompt("network/name_long")
    return Reprompt("network/not_a_name", {"relation": reading.relation})


def check_handle(route: Route, answer: Answer) -> Outcome | Reprompt:
    """ "Zal ik Mieke opschrijven, bij Familie?" Typed text is the name exactly as typed."""
    name = route.session.cursor.get("name", "")
    sector = route.session.cursor.get("sector", "")
    if not answer.is_choice:
        typed = clean_text(answer.value)
        return text_reprompt_if_bad(typed, MAX_NAME_LENGTH) or named(route, typed)
    if answer.value == "no" or not name:
        return Outcome("retype", cursor={})
    if answer.value != "yes":
        return CHOOSE_BUTTON
    if sector not in SECTORS:
        return Outcome("named", cursor={"name": name})
    return add_or_replace(route, name, sector)


def check_prompt(route: Route) -> Prompt:
    cursor = route.session.cursor
    return Prompt(
        "network/check",
        {"name": cursor.get("name", ""), "sector": cursor.get("sector", "")},
        choose(("yes", "common.yes"), ("no", "network.type_myself")),
    )


# Steps ------------------------------------------------------------------------------------


def intro_prompt(route: Route) -> Prompt:
    return Prompt(
        "network/intro",
        count_context(route),
        choose(("start", "network.begin"), ("nobody", "network.nobody")),
    )


def name_prompt(route: Route) -> Prompt:
    options = (
        choose(("list", "network.show_list"), ("done", "common.done")) if route.contacts else ()
    )
    hint = route.session.cursor.get("name", "")
    return Prompt("network/name", {**count_context(route), "twin": hint}, options)


def name_handle(route: Route, answer: Answer) -> Outcome | Reprompt:
    if answer.is_choice:
        return Outcome(answer.value) if answer.value in ("list", "done") else CHOOSE_BUTTON
    return take_name(route, answer)


def duplicate_prompt(route: Route) -> Prompt:
    return Prompt(
        "network/duplicate",
        {"name": route.session.cursor.get("name", "")},
        choose(("other", "network.someone_else"), ("same", "network.same_person")),
    )


def sector_prompt(route: Route) -> Prompt:
    return Prompt(
        "network/sector", {"name": route.session.cursor.get("name", "")}, sector_options()
    )


def sector_handle(route: Route, answer: Answer) -> Outcome | Reprompt:
    name = route.session.cursor.get("name")
    if not answer.is_choice or answer.value not in SECTORS or not name:
        return CHOOSE_BUTTON
    return add_or_replace(route, name, answer.value)


def add_or_replace(route: Route, name: str, sector: str) -> Outcome | Reprompt:
    """A twin is caught before this question, so a contact with this name here is the
    one added just before "terug": answering again replaces it, never doubles it."""
    again = route.contact_named(name)
    if again is not None:
        effect = UpdateContact(again.id, again.name, sector)
        return Outcome("added", (effect,), cursor={"name": name})
    if is_full(route):
        return Reprompt("network/full", count_context(route))
    return Outcome("added", (AddContact(name, sector),), cursor={"name": name})


def more_prompt(route: Route) -> Prompt:
    pairs = [("list", "network.show_list"), ("done", "network.done_adding")]
    if not is_full(route):
        pairs.insert(0, ("add", "network.add_more"))
    added = route.contact_named(route.session.cursor.get("name", ""))
    return Prompt("network/more", {**count_context(route), "added": added}, choose(*pairs))


def more_handle(route: Route, answer: Answer) -> Outcome | Reprompt:
    if not answer.is_choice:
        return take_name(route, answer)  # typing the next name straight away is fine
    if answer.value == "add" and is_full(route):
        return Reprompt("network/full", count_context(route))
    if answer.value in ("add", "list", "done"):
        return Outcome(answer.value, cursor={})
    return CHOOSE_BUTTON


def list_prompt(route: Route) -> Prompt:
    people = tuple(Option(contact_value(c.id), c.name, literal=True) for c in route.contacts)
    extra = [("done", "common.done")]
    if not is_full(route):
        extra.insert(0, ("add", "network.add_more"))
    return Prompt("network/list", {"contacts": route.contacts}, people + choose(*extra))


def list_handle(route: Route, answer: Answer) -> Outcome | Reprompt:
    if not answer.is_choice:
        return CHOOSE_BUTTON
    if answer.value in ("add", "done"):
        return Outcome(answer.value, cursor={})
    contact = route.contact(contact_id_of(answer.value))
    if contact is None:
        return CHOOSE_BUTTON
    return Outcome("edit", cursor={"contact": contact.id})


def edit_prompt(route: Route) -> Prompt:
    return Prompt(
        "network/edit",
        {"contact": editing(route)},
        choose(
            ("rename", "network.rename"),
            ("resector", "network.resector"),
            ("remove", "network.remove"),
            ("list", "network.back_to_list"),
        ),
    )


def edit_handle(route: Route, answer: Answer) -> Outcome | Reprompt:
    if editing(route) is None:
        return Outcome("list", cursor={})
    return choice_only({k: k for k in ("rename", "resector", "remove", "list")})(route, answer)


def rename_handle(route: Route, answer: Answer) -> Outcome | Reprompt:
    contact = editing(route)
    if contact is None:
        return Outcome("saved", cursor={})
    if answer.is_choice:
        return Outcome("saved", cursor={}) if answer.value == "keep" else CHOOSE_BUTTON
    name = clean_text(answer.value)
    problem = text_reprompt_if_bad(name, MAX_NAME_LENGTH)
    if problem:
        return problem
    reading = read_name(name)
    if reading.verdict is Verdict.CONFIRM:
        return Reprompt("network/name_long")  # words around the name: just the name
    if reading.verdict is not Verdict.NAME:
        return Reprompt("network/not_a_name", {"relation": reading.relation})
    twin = route.contact_named(name)
    if twin is not None and twin.id != contact.id:
        return Reprompt("network/name_taken", {"name": name})
    effect = UpdateContact(contact.id, name, contact.sector)
    return Outcome("saved", (effect,), cursor={})


def resector_handle(route: Route, answer: Answer) -> Outcome | Reprompt:
    contact = editing(route)
    if contact is None:
        return Outcome("saved", cursor={})
    if not answer.is_choice or answer.value not in SECTORS:
        return CHOOSE_BUTTON
    effect = UpdateContact(contact.id, contact.name, answer.value)
    return Outcome("saved", (effect,), cursor={})


def remove_handle(route: Route, answer: Answer) -> Outcome | Reprompt:
    contact = editing(route)
    if contact is None or (answer.is_choice and answer.value == "no"):
        return Outcome("saved", cursor={})
    if answer.is_choice and answer.value == "yes":
        return Outcome("saved", (RemoveContact(contact.id),), cursor={})
    return CHOOSE_BUTTON


STEPS = {
    INTRO: Step(intro_prompt, choice_only({"start": "start", "nobody": "nobody"}), block=2),
    NAME: Step(name_prompt, name_handle, block=2),
    DUPLICATE: Step(
        duplicate_prompt,
        choice_only({"other": "other", "same": lambda r: Outcome("same", cursor={})}),
        block=2,
    ),
    SECTOR: Step(sector_prompt, sector_handle, block=2),
    MORE: Step(more_prompt, more_handle, block=2),
    LIST: Step(list_prompt, list_handle, block=2),
    EDIT: Step(edit_prompt, edit_handle, block=2),
    RENAME: Step(
        lambda r: Prompt(
            "network/rename", {"contact": editing(r)}, choose(("keep", "network.keep_name"))
        ),
        rename_handle,
        block=2,
    ),
    RESECTOR: Step(
        lambda r: Prompt("network/resector", {"contact": editing(r)}, sector_options()),
        resector_handle,
        block=2,
    ),
    REMOVE: Step(
        lambda r: Prompt(
            "network/remove",
            {"contact": editing(r)},
            choose(("yes", "network.remove_yes"), ("no", "network.remove_no")),
        ),
        remove_handle,
        block=2,
    ),
    CHECK: Step(check_prompt, check_handle, block=2),
    NONE: Step(
        lambda r: Prompt(
            "network/none", {}, choose(("next", "common.continue"), ("add", "network.add_anyway"))
        ),
        choice_only({"next": "next", "add": "add"}),
        block=2,
    ),
}

FLOW = Flow("network", STEPS, TRANSITIONS)
