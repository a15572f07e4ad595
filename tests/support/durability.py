"""Real processes against one SQLite file: kills during a reminder burst, admin commands
while a bot runs. Used by the tests (small sizes) and by `python -m bench.durability`
(the figures in the README)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import signal
import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot import effects as fx
from bot.model import CONSENT_VERSION, Goal, Profile, Settings
from bot.store.repository import Store
from tests.support.botapi import BotApiServer, SimulatedUser

ROOT = Path(__file__).resolve().parents[2]
FIRST_CHAT = 700_000
# Only loopback: no proxy may see (or forward) the bot's requests.
_DROPPED = ("http_proxy", "https_proxy", "all_proxy", "no_proxy")


def bot_env(server: BotApiServer, db: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k.lower() not in _DROPPED}
    env.update(
        TELEGRAM_BOT_TOKEN=server.token,
        TELEGRAM_API_BASE_URL=server.url,
        STEUNKAART_DB=str(db),
        STEUNKAART_QUIET_HOURS="off",
        STEUNKAART_WEBHOOK_URL="",
        PTB_TIMEDELTA="true",
        NO_PROXY="127.0.0.1,localhost",
        PYTHONPATH=str(ROOT),
    )
    return env


async def start_bot(
    server: BotApiServer, db: Path, log: Path | None = None
) -> asyncio.subprocess.Process:
    output = log.open("ab") if log else None
    try:
        return await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "run",
            env=bot_env(server, db),
            cwd=ROOT,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=output or asyncio.subprocess.DEVNULL,
            stderr=output or asyncio.subprocess.DEVNULL,
        )
    finally:
        if output:
            output.close()


async def stop_bot(process: asyncio.subprocess.Process) -> None:
    if process.returncode is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        process.send_signal(signal.SIGTERM)
    try:
        await asyncio.wait_for(process.wait(), 15)
    except TimeoutError:
        with contextlib.suppress(ProcessLookupError):
            process.kill()
        await process.wait()


def consented_clients(db: Path, chats: list[int]) -> None:
    """Clients who gave consent, written the way the bot writes them."""
    store = Store.open(db)
    try:
        with store.atomic():
            for chat in chats:
                store.create_client(
                    Profile(
                        f"tg:{chat}", consent_at=datetime.now(UTC), consent_version=CONSENT_VERSION
                    )
                )
    finally:
        store.close()


def schedule_due(db: Path, chats: list[int]) -> None:
    store = Store.open(db)
    due = datetime.now(UTC) - timedelta(seconds=1)
    try:
        with store.atomic():
            for chat in chats:
                store.agenda.schedule(f"tg:{chat}", "ask", due, due)
    finally:
        store.close()


def pending_reminders(db: Path) -> int:
    store = Store.open(db)
    try:
        return len(store.agenda.pending())
    finally:
        store.close()


@dataclass(frozen=True, slots=True)
class KillFigures:
    reminders: int
    kills: int
    lost: int
    doubled: int
    seconds: float


async def reminders_under_kills(
    server: BotApiServer, folder: Path, reminders: int, kills: int, seed: int = 12
) -> KillFigures:
    """`reminders` fall due at once; the bot is killed with SIGKILL `kills` times while it
    sends them (fewer when the burst ends first: the figures say how many), and started
    again each time. Lost: a chat that never got its reminder; doubled: every copy
    beyond the first."""
    db = folder / "steunkaart.db"
    log = folder / "bot.log"
    chats = [FIRST_CHAT + n for n in range(reminders)]
    for chat in chats:
        server.user(chat, f"C{chat}")
    consented_clients(db, chats)
    schedule_due(db, chats)
    loop = asyncio.get_running_loop()
    started = loop.time()
    rng = random.Random(seed)
    bot = await start_bot(server, db, log)
    try:
        done = 0
        while done < kills and pending_reminders(db):
            # Kill only while the burst is under way: after some were sent, before the end.
            before = sum(_count(server, c) for c in chats)
            await asyncio.sleep(rng.uniform(0.3, 1.5))
            sent = sum(_count(server, c) for c in chats)
            if sent == before or pending_reminders(db) == 0:
                continue  # still starting (or done): not a kill during the burst
            bot.send_signal(signal.SIGKILL)
            await bot.wait()
            done += 1
            bot = await start_bot(server, db, log)
        deadline = loop.time() + 30 + reminders / 10
        while pending_reminders(db) and loop.time() < deadline:
            await asyncio.sleep(0.2)
        await asyncio.sleep(1.0)  # nothing more should come
    finally:
        await stop_bot(bot)
    counts = [_count(server, chat) for chat in chats]
    return KillFigures(
        reminders=reminders,
        kills=done,
        lost=sum(1 for c in counts if c == 0),
        doubled=sum(c - 1 for c in counts if c > 1),
        seconds=loop.time() - started,
    )


def _count(server: BotApiServer, chat: int) -> int:
    # Only reminders go to these chats: every message is one.
    return server.message_count(chat)


@dataclass(frozen=True, slots=True)
class AdminFigures:
    tries: int
    failed: int
    messages: int
    unanswered: int
    seconds: float


ADMIN_COMMANDS = (
    ("export", "--client", "tg:{chat}"),
    ("audit",),
    ("professionals",),
    ("add-professional", "Noor {n}"),
)


async def admin_command(db: Path, args: list[str]) -> tuple[int, bytes]:
    env = {**os.environ, "STEUNKAART_DB": str(db), "PYTHONPATH": str(ROOT)}
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "admin",
        *args,
        env=env,
        cwd=ROOT,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    _, err = await process.communicate()
    return process.returncode or 0, err


async def admin_during_chats(
    server: BotApiServer, folder: Path, tries: int, parallel: int = 10, clients: int = 5
) -> AdminFigures:
    """`tries` admin commands (export, audit, list, add), `parallel` at a time, each its
    own process, while a running bot stores what `clients` people keep typing. Failed: an
    admin command with a non-zero exit; unanswered: a message the bot did not answer."""
    db = folder / "steunkaart.db"
    chats = [FIRST_CHAT + n for n in range(clients)]
    users = [server.user(chat, f"C{chat}") for chat in chats]
    consented_clients(db, chats)
    loop = asyncio.get_running_loop()
    started = loop.time()
    bot = await start_bot(server, db, folder / "bot.log")
    sent = 0
    stop = asyncio.Event()

    async def typing(user: SimulatedUser) -> None:
        nonlocal sent
        while not stop.is_set():
            target = server.message_count(user.chat_id) + 1
            await user.send_text(f"bericht {sent}")
            sent += 1
            with contextlib.suppress(TimeoutError):
                await server.wait_for(
                    lambda u=user, t=target: server.message_count(u.chat_id) >= t, 10
                )

    try:
        # The bot answers before the admin commands start: it is up and writing.
        await users[0].send_text("hallo")
        await server.wait_for(lambda: server.message_count(chats[0]) > 0, 20)
        chatting = [asyncio.create_task(typing(user)) for user in users]
        gate = asyncio.Semaphore(parallel)
        failures: list[bytes] = []

        async def one(n: int) -> None:
            template = ADMIN_COMMANDS[n % len(ADMIN_COMMANDS)]
            args = [a.format(chat=chats[n % clients], n=n) for a in template]
            async with gate:
                code, err = await admin_command(db, args)
            if code != 0:
                failures.append(err)

        await asyncio.gather(*(one(n) for n in range(tries)))
        stop.set()
        await asyncio.gather(*chatting)
    finally:
        await stop_bot(bot)
    answered = sum(server.message_count(chat) for chat in chats)
    return AdminFigures(
        tries=tries,
        failed=len(failures),
        messages=sent + 1,
        unanswered=max(0, sent + 1 - answered),
        seconds=loop.time() - started,
    )


ERASED_WORDS = ("Zwanhilde", "Bartholomeus", "Kwikstaart", "koffiedrinken op zaterdag")


def write_a_route(db: Path, client: str) -> None:
    """A client's map, answers and goal, written by another connection while the bot
    runs, so their pages sit in the WAL the bot keeps open."""
    store = Store.open(db)
    try:
        with store.atomic():
            store.create_client(
                Profile(client, consent_at=datetime.now(UTC), consent_version=CONSENT_VERSION)
            )
            store.new_map(client)
            route = store.load(client, Settings())
            assert route is not None
            for name in ERASED_WORDS[:3]:
                store.apply(fx.AddContact(name, "family"), route)
                store.log_answer(client, "network.name", "text", name)
            goal = Goal("more_contact", new_person=ERASED_WORDS[0], activity=ERASED_WORDS[3])
            store.apply(fx.SaveGoal(goal), route)
            store.care.audit(client, "link", "professional:1")
    finally:
        store.close()


def residue(db: Path, words: tuple[str, ...]) -> dict[str, int]:
    """How often each word occurs in the raw bytes of the database, -wal and -shm."""
    found = dict.fromkeys(words, 0)
    for path in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        data = path.read_bytes() if path.exists() else b""
        for word in words:
            found[word] += data.count(word.encode())
    return found


async def erase_residue(
    server: BotApiServer, folder: Path, by_admin: bool = False
) -> tuple[dict[str, int], int]:
    """A client erases everything with /wissen (or the administrator with `admin erase`,
    another process) while the bot process keeps running (and keeps its connection
    open). Returns the hits per word in the files afterwards and the hits before the
    erase (to show the search finds what is there)."""
    db = folder / "steunkaart.db"
    chat = FIRST_CHAT
    client = f"tg:{chat}"
    words = (*ERASED_WORDS, client)
    user = server.user(chat, "Zwanhilde")
    someone = server.user(chat + 1, "Iemand")
    bot = await start_bot(server, db, folder / "bot.log")
    try:
        await someone.send_command("/start")  # the bot is up, its connection open
        await someone.wait_for_messages(1, timeout=20)
        write_a_route(db, client)
        before = sum(residue(db, words).values())
        if by_admin:
            code, err = await admin_command(db, ["erase", "--client", client])
            assert code == 0, err.decode()
            return residue(db, words), before
        await user.send_command("/wissen")
        await server.wait_for(lambda: user.last_message_with_keyboard() is not None, 10)
        question = user.last_message_with_keyboard()
        assert question is not None
        await user.press(question.message_id, question.button_data("Ja, wis alles"))
        await server.wait_for(
            lambda: any("is gewist" in (m.plain_text or "") for m in user.messages), 10
        )
        await asyncio.sleep(0.2)
        return residue(db, words), before
    finally:
        await stop_bot(bot)
