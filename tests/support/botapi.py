"""A Telegram Bot API server on loopback, for tests and benchmarks.

The bot under test is a real python-telegram-bot ``Application`` talking HTTP to this server,
which plays Telegram: it answers Bot API methods the way Telegram does (same JSON shapes, same
error descriptions for the mistakes that matter) and lets a test act as Telegram users.

    async with BotApiServer() as server:
        app = server.application_builder().build()      # or build_echo_app(server.url, ...)
        user = server.user(chat_id=1001, first_name="Ans")
        async with running_application(app):
            await user.send_text("hallo")
            [reply] = await user.wait_for_messages(1)

How PTB talks to it: every method is a POST to ``/bot<token>/<method>``; parameters are form
fields (urlencoded, or multipart when a file is uploaded), every non-string value JSON-encoded
(``reply_markup``, ``link_preview_options``, ``true``, ``1001``). Uploaded files are multipart
parts named after the parameter (``photo``, ``document``) or referenced as ``attach://<name>``.

A user blocking or unblocking the bot, or adding it to a group (``block_bot``, ``unblock_bot``,
``add_bot_to_group``), arrives as a ``my_chat_member`` update; ``leaveChat`` leaves a group.

Fault injection (``fail_next``, ``delay_next``, ``block``, ``duplicate_next_update``) happens
*before* a method is carried out, so a failed send is never recorded as delivered.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import re
import struct
import time
import zlib
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple, Self

from aiohttp import web
from telegram.ext import Application, ApplicationBuilder

__all__ = [
    "NOT_MODIFIED",
    "ApiCall",
    "ApiError",
    "BotApiServer",
    "BotMessage",
    "Button",
    "EntityParseError",
    "SimulatedUser",
    "UploadedFile",
    "parse_html",
    "running_application",
    "tiny_png",
]

JSON = dict[str, Any]
Button = tuple[str, str | None]
"""An inline button as (text, callback_data); callback_data is None for url/other buttons."""

MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_CALLBACK_DATA_BYTES = 64
MAX_UPLOAD_BYTES = 50 * 1024 * 1024

NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)
_QUERY_INVALID = "query is too old and response timeout expired or query ID is invalid"
_BLOCKED = "Forbidden: bot was blocked by the user"
_NOT_MEMBER = "Forbidden: bot is not a member of the group chat"
_STATUS_TEXT = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    409: "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running",
    500: "Internal Server Error",
    502: "Bad Gateway",
    504: "Gateway Timeout",
}
# Parameters whose form value is a JSON document; decoded in the call log.
_JSON_PARAMS = frozenset(
    {
        "allowed_updates",
        "caption_entities",
        "commands",
        "entities",
        "link_preview_options",
        "media",
        "menu_button",
        "reply_markup",
        "reply_parameters",
        "scope",
    }
)
_INT_PARAMS = frozenset({"chat_id", "message_id", "offset", "limit", "timeout", "user_id"})
_CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
_COMMAND_RE = re.compile(r"[a-z0-9_]{1,32}")


def _now() -> int:
    return int(time.time())


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


# --------------------------------------------------------------------------------------------
# Telegram's HTML parse mode (a port of tdlib's parse_html, including its error messages)
# --------------------------------------------------------------------------------------------


class EntityParseError(ValueError):
    """Text is not valid Telegram HTML; str(error) is Telegram's description."""


_SPACE = frozenset(" \t\n\r\v\f\0")
_HTML_TAGS = frozenset(
    {
        "a",
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "strike",
        "del",
        "tg-spoiler",
        "tg-emoji",
        "span",
        "pre",
        "code",
        "blockquote",
    }
)
_ENTITY_TYPE = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "code": "code",
    "pre": "pre",
    "a": "text_link",
    "tg-emoji": "custom_emoji",
    "blockquote": "blockquote",
}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}


def _decode_html_entity(text: str, start: int) -> tuple[str, int] | None:
    """Decode ``&lt;``/``&#60;``/``&#x3c;`` at ``start``; None means a literal ``&``."""
    end = text.find(";", start + 1)
    if end == -1 or end - start > 10:
        return None
    name = text[start + 1 : end]
    if name in _NAMED_ENTITIES:
        return _NAMED_ENTITIES[name], end + 1
    try:
        if name[:2] in ("#x", "#X"):
            code = int(name[2:], 16)
        elif name[:1] == "#" and name[1:].isdigit():
            code = int(name[1:])
        else:
            return None
    except ValueError:
        return None
    if not 0 < code <= 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return None
    return chr(code), end + 1


@dataclass
class _OpenTag:
    name: str
    start: int  # UTF-16 offset in the output text
    byte_offset: int
    attrs: dict[str, str]


def parse_html(text: str) -> tuple[str, list[JSON]]:
    """Parse Telegram HTML into (plain text, entities with UTF-16 offsets).

    Raises EntityParseError with Telegram's wording (without "Bad Request: can't parse
    entities: ") for unsupported tags, unclosed or mismatched tags and a bare ``<``.
    """
    out: list[str] = []
    pos16 = 0
    stack: list[_OpenTag] = []
    entities: list[JSON] = []
    n = len(text)

    def byte_offset(index: int) -> int:
        return len(text[:index].encode())

    i = 0
    while i < n:
        ch = text[i]
        if ch == "&" and (decoded := _decode_html_entity(text, i)) is not None:
            value, i = decoded
            out.append(value)
            pos16 += _utf16_len(value)
            continue
        if ch != "<":
            out.append(ch)
            pos16 += 2 if ord(ch) > 0xFFFF else 1
            i += 1
            continue
        begin = i
        i += 1
        if i < n and text[i] == "/":
            if not stack:
                raise EntityParseError(f"Unexpected end tag at byte offset {byte_offset(begin)}")
            j = i + 1
            while j < n and text[j] not in _SPACE and text[j] != ">":
                j += 1
            end_name = text[i + 1 : j].lower()
            while j < n and text[j] in _SPACE:
                j += 1
            if j >= n or text[j] != ">":
                raise EntityParseError(f"Unclosed end tag at byte offset {byte_offset(begin)}")
            tag = stack.pop()
            if end_name and end_name != tag.name:
                raise EntityParseError(
                    f"Unmatched end tag at byte offset {byte_offset(begin)}, "
                    f'expected "</{tag.name}>", found "</{end_name}>"'
                )
            _close_entity(tag, pos16, entities)
            i = j + 1
            continue
        j = i
        while j < n and text[j] not in _SPACE and text[j] != ">":
            j += 1
        if j >= n:
            raise EntityParseError(f"Unclosed start tag at byte offset {byte_offset(begin)}")
        name = text[i:j].lower()
        if name not in _HTML_TAGS:
            raise EntityParseError(
                f'Unsupported start tag "{name}" at byte offset {byte_offset(begin)}'
            )
        attrs, j = _parse_attributes(text, j, name, byte_offset(begin), byte_offset)
        if name == "span" and attrs.get("class") != "tg-spoiler":
            raise EntityParseError(
                f'Tag "span" must have class "tg-spoiler" at byte offset {byte_offset(begin)}'
            )
        stack.append(_OpenTag(name, pos16, byte_offset(begin), attrs))
        i = j + 1
    if stack:
        raise EntityParseError(
            f'Can\'t find end tag corresponding to start tag "{stack[-1].name}"'
        )
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


def _parse_attributes(
    text: str, j: int, tag: str, tag_offset: int, byte_offset: Callable[[int], int]
) -> tuple[dict[str, str], int]:
    """Parse attributes from ``text[j]`` up to the closing ``>``; returns (attrs, index of >)."""
    n = len(text)
    attrs: dict[str, str] = {}
    unclosed = f"Unclosed start tag at byte offset {tag_offset}"
    while True:
        while j < n and text[j] in _SPACE:
            j += 1
        if j >= n:
            raise EntityParseError(unclosed)
        if text[j] == ">":
            return attrs, j
        k = j
        while j < n and text[j] not in _SPACE and text[j] not in "=>":
            j += 1
        attr = text[k:j].lower()
        if not attr:
            raise EntityParseError(
                f'Empty attribute name in the tag "{tag}" at byte offset {tag_offset}'
            )
        while j < n and text[j] in _SPACE:
            j += 1
        if j >= n or text[j] != "=":
            if tag == "blockquote" and attr == "expandable":
                attrs[attr] = ""
                continue
            raise EntityParseError(
                f'Expected equal sign in declaration of an attribute of the tag "{tag}" '
                f"at byte offset {tag_offset}"
            )
        j += 1
        while j < n and text[j] in _SPACE:
            j += 1
        if j >= n:
            raise EntityParseError(unclosed)
        if text[j] in "'\"":
            quote = text[j]
            j += 1
            value: list[str] = []
            while j < n and text[j] != quote:
                if text[j] == "&" and (decoded := _decode_html_entity(text, j)) is not None:
                    value.append(decoded[0])
                    j = decoded[1]
                    continue
                value.append(text[j])
                j += 1
            j += 1
            attrs[attr] = "".join(value)
        else:
            k = j
            while j < n and ((text[j].isascii() and text[j].isalnum()) or text[j] in ".-"):
                j += 1
            if j < n and text[j] not in _SPACE and text[j] != ">":
                raise EntityParseError(f"Unexpected end of name token at byte offset {k}")
            attrs[attr] = text[k:j].lower()


def _close_entity(tag: _OpenTag, end16: int, entities: list[JSON]) -> None:
    length = end16 - tag.start
    if length <= 0:
        return
    entity: JSON = {"type": _ENTITY_TYPE[tag.name], "offset": tag.start, "length": length}
    if tag.name == "a":
        if not tag.attrs.get("href"):
            return
        entity["url"] = tag.attrs["href"]
    elif tag.name == "code" and tag.attrs.get("class", "").startswith("language-"):
        entity["language"] = tag.attrs["class"].removeprefix("language-")
    elif tag.name == "tg-emoji":
        entity["custom_emoji_id"] = tag.attrs.get("emoji-id", "")
    elif tag.name == "blockquote" and "expandable" in tag.attrs:
        entity["type"] = "expandable_blockquote"
    elif tag.name == "pre" and entities:
        inner = entities[-1]
        same_span = inner["offset"] == tag.start and inner["length"] == length
        if inner["type"] == "code" and same_span and "language" in inner:
            entity["language"] = entities.pop()["language"]
    entities.append(entity)


# --------------------------------------------------------------------------------------------
# Images and files
# --------------------------------------------------------------------------------------------


def tiny_png(width: int = 2, height: int = 2, rgb: tuple[int, int, int] = (40, 120, 200)) -> bytes:
    """A valid PNG image of one colour, for sendPhoto tests."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + bytes(rgb) * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


def _image_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) of a PNG/GIF/JPEG/WebP/BMP image, None if the bytes are no image."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24:
        return struct.unpack(">II", data[16:24])
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        return struct.unpack("<HH", data[6:10])
    if data[:2] == b"BM" and len(data) >= 26:
        width, height = struct.unpack("<ii", data[18:26])
        return width, abs(height)
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return 512, 512
    if data[:2] == b"\xff\xd8":
        i = 2
        while i + 9 < len(data):
            if data[i] != 0xFF:
                i += 1
                continue
            marker = data[i + 1]
            if marker in (0x01, 0xD8, 0xFF) or 0xD0 <= marker <= 0xD7:
                i += 2 if marker != 0xFF else 1
                continue
            if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
                height, width = struct.unpack(">HH", data[i + 5 : i + 9])
                return width, height
            i += 2 + int.from_bytes(data[i + 2 : i + 4], "big")
        return None
    return None


@dataclass(frozen=True)
class UploadedFile:
    """A file part of a multipart request, as the bot uploaded it."""

    filename: str | None
    content: bytes = field(repr=False)
    content_type: str | None = None


@dataclass(frozen=True)
class _StoredFile:
    file_id: str
    file_unique_id: str
    content: bytes = field(repr=False)
    file_path: str
    filename: str | None = None
    mime_type: str | None = None


# --------------------------------------------------------------------------------------------
# Records that tests look at
# --------------------------------------------------------------------------------------------


class ApiCall(NamedTuple):
    """One Bot API call: JSON parameters decoded, ids as int, files as UploadedFile."""

    method: str
    params: JSON


class ApiError(NamedTuple):
    """One call that got an error response (injected or real validation)."""

    method: str
    status: int
    description: str
    params: JSON


class _Fail(Exception):
    """Raised inside method handlers; becomes a Bot API error response."""

    def __init__(self, status: int, description: str, retry_after: float | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after


def _bad(description: str) -> _Fail:
    return _Fail(400, f"Bad Request: {description}")


@dataclass(eq=False)
class BotMessage:
    """A message the bot sent to a private chat, kept up to date with later edits.

    ``text`` is the text (or caption) exactly as the bot sent it, e.g. HTML source;
    ``plain_text`` is what the user sees after entity parsing.
    """

    message_id: int
    chat_id: int
    kind: str  # "text" | "photo" | "document"
    date: int
    text: str | None
    plain_text: str | None
    parse_mode: str | None
    entities: list[JSON] = field(default_factory=list)
    reply_markup: JSON | None = None  # inline keyboard, as Telegram echoes it back
    reply_keyboard: JSON | None = None  # ReplyKeyboardMarkup/Remove/ForceReply sent along
    protect_content: bool = False
    disable_notification: bool = False
    link_preview_options: JSON | None = None
    reply_to_message_id: int | None = None
    photo: bytes | None = field(default=None, repr=False)
    document: bytes | None = field(default=None, repr=False)
    filename: str | None = None
    mime_type: str | None = None
    edit_count: int = 0
    edit_date: int | None = None
    history: list[str | None] = field(default_factory=list)  # texts before each edit
    deleted: bool = False
    _media: JSON | list[JSON] | None = field(default=None, repr=False)
    _reply_to_message: JSON | None = field(default=None, repr=False)
    _base: JSON = field(default_factory=dict, repr=False)

    @property
    def caption(self) -> str | None:
        return None if self.kind == "text" else self.text

    @property
    def buttons(self) -> list[list[Button]]:
        """Inline keyboard as rows of (text, callback_data); [] without a keyboard."""
        if not self.reply_markup:
            return []
        return [
            [(b.get("text", ""), b.get("callback_data")) for b in row]
            for row in self.reply_markup.get("inline_keyboard", [])
        ]

    def button_data(self, text: str) -> str:
        """callback_data of the inline button labelled ``text``."""
        for row in self.buttons:
            for label, data in row:
                if label == text and data is not None:
                    return data
        raise KeyError(f"no callback button {text!r} on message {self.message_id}: {self.buttons}")

    def to_api(self) -> JSON:
        """The Telegram ``Message`` object for this message."""
        msg: JSON = {"message_id": self.message_id, **self._base, "date": self.date}
        if self.edit_date is not None:
            msg["edit_date"] = self.edit_date
        entities_key = "entities" if self.kind == "text" else "caption_entities"
        if self.kind != "text":
            msg[self.kind] = self._media
        if self.plain_text is not None:
            msg["text" if self.kind == "text" else "caption"] = self.plain_text
        if self.entities:
            msg[entities_key] = self.entities
        if self.reply_markup:
            msg["reply_markup"] = self.reply_markup
        if self.protect_content:
            msg["has_protected_content"] = True
        if self._reply_to_message is not None:
            msg["reply_to_message"] = self._reply_to_message
        return msg


@dataclass
class _QueuedUpdate:
    update_id: int
    payload: JSON
    kind: str
    extra_deliveries: int = 0
    deliveries: int = 0


@dataclass
class _Fault:
    status: int
    description: str
    retry_after: float | None
    remaining: int


@dataclass
class _Delay:
    seconds: float
    drop: bool
    remaining: int


# --------------------------------------------------------------------------------------------
# The user side
# --------------------------------------------------------------------------------------------


class SimulatedUser:
    """A Telegram user in a private chat with the bot (chat id == user id)."""

    def __init__(
        self,
        server: BotApiServer,
        chat_id: int,
        first_name: str,
        last_name: str | None,
        username: str | None,
        language_code: str | None,
    ) -> None:
        self.server = server
        self.chat_id = chat_id
        self.first_name = first_name
        self.username = username
        self.language_code = language_code
        self.user_dict: JSON = {"id": chat_id, "is_bot": False, "first_name": first_name}
        self.chat_dict: JSON = {"id": chat_id, "type": "private", "first_name": first_name}
        for key, value in (("last_name", last_name), ("username", username)):
            if value:
                self.user_dict[key] = value
                self.chat_dict[key] = value
        if language_code:
            self.user_dict["language_code"] = language_code
        self.chat_actions: list[str] = []
        self.reply_keyboard: list[list[str]] | None = None
        """Custom reply keyboard currently shown (set/removed by the bot), as button texts."""
        self._all: list[BotMessage] = []
        self._bot_by_id: dict[int, BotMessage] = {}
        self._user_messages: dict[int, JSON] = {}
        self._read = 0
        self._message_ids = itertools.count(1)

    def __repr__(self) -> str:
        return f"SimulatedUser(chat_id={self.chat_id}, first_name={self.first_name!r})"

    # -- what the bot sent ---------------------------------------------------------------

    @property
    def messages(self) -> list[BotMessage]:
        """All bot messages in this chat that were not deleted, current state."""
        return [m for m in self._all if not m.deleted]

    @property
    def last_message(self) -> BotMessage | None:
        return self._all[-1] if self._all else None

    def message(self, message_id: int) -> BotMessage:
        return self._bot_by_id[message_id]

    def last_keyboard(self) -> list[list[Button]] | None:
        """Buttons of the latest message that still has an inline keyboard."""
        for msg in reversed(self._all):
            if not msg.deleted and msg.buttons:
                return msg.buttons
        return None

    def last_message_with_keyboard(self) -> BotMessage | None:
        for msg in reversed(self._all):
            if not msg.deleted and msg.buttons:
                return msg
        return None

    def unread(self) -> list[BotMessage]:
        """Bot messages that arrived since the last read; marks them read."""
        new = self._all[self._read :]
        self._read = len(self._all)
        return new

    async def wait_for_messages(self, count: int = 1, timeout: float = 5.0) -> list[BotMessage]:
        """Wait for ``count`` unread bot messages; returns exactly those (oldest first)."""
        target = self._read + count
        try:
            await self.server.wait_for(lambda: len(self._all) >= target, timeout)
        except TimeoutError:
            got = [m.text for m in self._all[self._read :]]
            raise TimeoutError(
                f"chat {self.chat_id}: expected {count} new bot message(s) within {timeout}s, "
                f"got {len(got)}: {got!r}; last API errors: {self.server.errors[-3:]!r}"
            ) from None
        new = self._all[self._read : target]
        self._read = target
        return new

    async def wait_for_edit(
        self, message_id: int, edits: int = 1, timeout: float = 5.0
    ) -> BotMessage:
        """Wait until message ``message_id`` has been edited at least ``edits`` times."""
        msg = self._bot_by_id[message_id]
        await self.server.wait_for(lambda: msg.edit_count >= edits, timeout)
        return msg

    async def expect_no_messages(self, within: float = 0.2) -> None:
        """Assert that no unread bot message arrives within ``within`` seconds."""
        await asyncio.sleep(within)
        if new := self._all[self._read :]:
            raise AssertionError(f"chat {self.chat_id}: unexpected bot messages {new!r}")

    # -- what the user does --------------------------------------------------------------

    def _new_message(self, **content: Any) -> JSON:
        message_id = next(self._message_ids)
        msg: JSON = {
            "message_id": message_id,
            "from": self.user_dict,
            "chat": self.chat_dict,
            "date": _now(),
            **content,
        }
        self._user_messages[message_id] = msg
        return msg

    def _send(self, **content: Any) -> int:
        msg = self._new_message(**content)
        self.server.queue_update({"message": msg})
        return msg["message_id"]

    async def send_text(self, text: str, *, entities: list[JSON] | None = None) -> int:
        """The user sends a text message; returns its message_id."""
        return self._send(text=text, **({"entities": entities} if entities else {}))

    async def send_command(self, command: str, payload: str | None = None) -> int:
        """The user sends ``/command [payload]`` (e.g. /start from a deep link)."""
        command = "/" + command.removeprefix("/")
        text = f"{command} {payload}" if payload else command
        entity = {"type": "bot_command", "offset": 0, "length": _utf16_len(command)}
        return await self.send_text(text, entities=[entity])

    async def send_sticker(self, emoji: str = "👍") -> int:
        stored = self.server._store_file(b"RIFF\x00\x00\x00\x00WEBP", "stickers", ".webp")
        sticker = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": emoji,
            "file_size": len(stored.content),
        }
        return self._send(sticker=sticker)

    async def send_photo(self, data: bytes | None = None, *, caption: str | None = None) -> int:
        data = tiny_png() if data is None else data
        width, height = _image_size(data) or (320, 320)
        stored = self.server._store_file(data, "photos", ".jpg", mime_type="image/jpeg")
        photo = [_photo_size(stored, width, height)]
        return self._send(photo=photo, **({"caption": caption} if caption else {}))

    async def send_voice(self, data: bytes = b"OggS\x00voice", *, duration: int = 3) -> int:
        stored = self.server._store_file(data, "voice", ".oga", mime_type="audio/ogg")
        voice = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "duration": duration,
            "mime_type": "audio/ogg",
            "file_size": len(data),
        }
        return self._send(voice=voice)

    async def send_document(
        self,
        data: bytes = b"%PDF-1.4\n%%EOF\n",
        *,
        filename: str = "document.pdf",
        mime_type: str = "application/pdf",
        caption: str | None = None,
    ) -> int:
        stored = self.server._store_file(
            data, "documents", "", filename=filename, mime_type=mime_type
        )
        return self._send(document=_document(stored), **({"caption": caption} if caption else {}))

    async def send_location(self, latitude: float = 52.3676, longitude: float = 4.9041) -> int:
        return self._send(location={"latitude": latitude, "longitude": longitude})

    async def edit_text(self, message_id: int, text: str) -> None:
        """The user edits one of their own text messages (an ``edited_message`` update)."""
        msg = self._user_messages[message_id]
        if "text" not in msg:
            raise ValueError(f"user message {message_id} has no text")
        msg.update(text=text, edit_date=_now())
        msg.pop("entities", None)
        self.server.queue_update({"edited_message": dict(msg)})

    def block_bot(self) -> None:
        """The user blocks the bot: Telegram sends ``my_chat_member`` (member -> kicked) and
        from now on refuses every message to this chat with 403."""
        self.server.block(self.chat_id)
        self.server._queue_membership(self, self.chat_dict, "member", "kicked")

    def unblock_bot(self) -> None:
        """The user unblocks (restarts) the bot: ``my_chat_member`` kicked -> member."""
        self.server.unblock(self.chat_id)
        self.server._queue_membership(self, self.chat_dict, "kicked", "member")

    def add_bot_to_group(self, group_id: int, title: str = "Groep") -> SimulatedUser:
        """The user adds the bot to a group; returns the group chat, which collects what the
        bot sends there (``messages``). Telegram sends ``my_chat_member`` left -> member."""
        group = self.server.group(group_id, title)
        self.server._queue_membership(self, group.chat_dict, "left", "member")
        return group

    async def press(self, message_id: int, callback_data: str, *, strict: bool = True) -> str:
        """The user taps an inline button; returns the callback query id.

        With ``strict`` the message must currently show a button with this callback_data.
        """
        msg = self._bot_by_id.get(message_id)
        if msg is None or msg.deleted:
            raise ValueError(f"chat {self.chat_id} has no bot message {message_id}")
        if strict and callback_data not in [d for row in msg.buttons for _, d in row]:
            raise ValueError(
                f"message {message_id} has no button {callback_data!r}: {msg.buttons}"
            )
        return self.server._queue_callback(self, msg, callback_data)

    async def press_button(self, text: str, message_id: int | None = None) -> str:
        """Tap the button labelled ``text`` (on the latest message with a keyboard by default)."""
        msg = self.last_message_with_keyboard() if message_id is None else self.message(message_id)
        if msg is None:
            raise ValueError(f"chat {self.chat_id} shows no inline keyboard")
        return await self.press(msg.message_id, msg.button_data(text))


def _photo_size(stored: _StoredFile, width: int, height: int) -> JSON:
    return {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "width": width,
        "height": height,
        "file_size": len(stored.content),
    }


def _document(stored: _StoredFile) -> JSON:
    doc: JSON = {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_size": len(stored.content),
    }
    if stored.filename:
        doc["file_name"] = stored.filename
    if stored.mime_type:
        doc["mime_type"] = stored.mime_type
    return doc


# --------------------------------------------------------------------------------------------
# Request parameters
# --------------------------------------------------------------------------------------------


class _Params:
    """Typed access to Bot API parameters (form strings, or native values from JSON bodies)."""

    def __init__(self, raw: dict[str, Any], request: web.Request | None = None) -> None:
        self.raw = raw
        self._request = request

    def client_connected(self) -> bool:
        """False once the client has closed the connection (e.g. a cancelled long poll)."""
        if self._request is None:
            return True
        transport = self._request.transport
        return transport is not None and not transport.is_closing()

    def has(self, name: str) -> bool:
        return self.raw.get(name) not in (None, "")

    def get_str(self, name: str) -> str | None:
        value = self.raw.get(name)
        return None if value is None or isinstance(value, UploadedFile) else str(value)

    def get_int(self, name: str, default: int | None = None) -> int | None:
        value = self.raw.get(name)
        if value is None or value == "":
            return default
        try:
            return int(value)
        except (TypeError, ValueError):
            raise _bad(f'field "{name}" must be an Integer') from None

    def get_float(self, name: str, default: float) -> float:
        value = self.raw.get(name)
        if value is None or value == "":
            return default
        try:
            return float(value)
        except (TypeError, ValueError):
            raise _bad(f'field "{name}" must be a Number') from None

    def get_bool(self, name: str) -> bool:
        value = self.raw.get(name)
        return value is True or str(value).lower() in ("true", "1")

    def get_json(self, name: str) -> Any:
        value = self.raw.get(name)
        if not isinstance(value, str):
            return value
        try:
            return json.loads(value)
        except ValueError:
            raise _bad(f"can't parse {name} JSON object") from None

    def get_file(self, name: str) -> UploadedFile | str | None:
        value = self.raw.get(name)
        if isinstance(value, str) and value.startswith("attach://"):
            value = self.raw.get(value.removeprefix("attach://"))
        return value if isinstance(value, UploadedFile | str) else None


def _log_params(raw: dict[str, Any]) -> JSON:
    params: JSON = {}
    for key, value in raw.items():
        if isinstance(value, str) and key in _JSON_PARAMS:
            with contextlib.suppress(ValueError):
                value = json.loads(value)
        elif isinstance(value, str) and key in _INT_PARAMS:
            with contextlib.suppress(ValueError):
                value = int(value)
        params[key] = value
    return params


async def _read_params(request: web.Request) -> dict[str, Any]:
    params: dict[str, Any] = dict(request.query)
    if not request.can_read_body:
        return params
    if request.content_type == "application/json":
        body = await request.json()
        if isinstance(body, dict):
            params.update(body)
        return params
    form = await request.post()
    for name, value in form.items():
        if isinstance(value, web.FileField):
            params[name] = UploadedFile(value.filename, value.file.read(), value.content_type)
        else:
            params[name] = value
    return params


def _error_body(status: int, description: str, retry_after: float | None = None) -> JSON:
    body: JSON = {"ok": False, "error_code": status, "description": description}
    if retry_after is not None:
        body["parameters"] = {"retry_after": retry_after}
    return body


# --------------------------------------------------------------------------------------------
# The server
# --------------------------------------------------------------------------------------------

_Handler = Callable[[_Params], Awaitable[Any]]


class BotApiServer:
    """Plays Telegram's Bot API on http://127.0.0.1:<port> for one bot token."""

    def __init__(
        self,
        token: str = "123456:TEST-TOKEN",
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        bot_username: str = "steunkaart_test_bot",
        bot_first_name: str = "Steunkaart",
        record_calls: bool = True,
    ) -> None:
        self.token = token
        self.host = host
        self.port = port
        self.record_calls = record_calls
        bot_id = token.split(":", 1)[0]
        self.bot_user: JSON = {
            "id": int(bot_id) if bot_id.isdigit() else 123456,
            "is_bot": True,
            "first_name": bot_first_name,
            "username": bot_username,
        }
        self.calls: list[ApiCall] = []
        """Every Bot API call except getUpdates, in order (see get_updates_calls)."""
        self.errors: list[ApiError] = []
        """Every call that got an error response, injected or not."""
        self.unknown_methods: list[str] = []
        self.get_updates_calls = 0
        self.callback_queries: list[str] = []
        """Ids of callback queries the users made, in order."""
        self.callback_answers: dict[str, JSON] = {}
        """answerCallbackQuery parameters by callback query id."""
        self.webhook: JSON | None = None
        self.menu_buttons: dict[int | None, JSON] = {}
        self.bot_settings: dict[tuple[str, str], str] = {}
        """setMyDescription/setMyShortDescription/setMyName values by (field, language_code)."""
        self.sent_messages: list[BotMessage] = []
        """Every message the bot sent, all chats, in order."""
        self._users: dict[int, SimulatedUser] = {}
        self._commands: dict[tuple[str, str], list[JSON]] = {}
        self._files: dict[str, _StoredFile] = {}
        self._file_paths: dict[str, _StoredFile] = {}
        self._file_ids = itertools.count(1)
        self._callback_ids = itertools.count(1)
        self._callback_chats: dict[str, int] = {}
        self._queue: deque[_QueuedUpdate] = deque()
        self._update_ids = itertools.count(1)
        self._allowed_updates: frozenset[str] | None = None
        self._duplicate_next = 0
        self._poll_generation = 0
        self._faults: dict[str, deque[_Fault]] = {}
        self._delays: dict[str, deque[_Delay]] = {}
        self._blocked: set[int] = set()
        self._left: set[int] = set()
        self._left_order: list[int] = []
        self._changed = asyncio.Event()
        self._closing = False
        self._runner: web.AppRunner | None = None
        self._methods: dict[str, tuple[str, _Handler]] = {
            name.lower(): (name, handler)
            for name, handler in {
                "getMe": self._get_me,
                "logOut": self._true,
                "close": self._true,
                "getUpdates": self._get_updates,
                "setWebhook": self._set_webhook,
                "deleteWebhook": self._delete_webhook,
                "getWebhookInfo": self._get_webhook_info,
                "sendMessage": self._send_message,
                "sendPhoto": self._send_photo,
                "sendDocument": self._send_document,
                "sendChatAction": self._send_chat_action,
                "editMessageText": self._edit_message_text,
                "editMessageCaption": self._edit_message_caption,
                "editMessageReplyMarkup": self._edit_message_reply_markup,
                "deleteMessage": self._delete_message,
                "answerCallbackQuery": self._answer_callback_query,
                "getFile": self._get_file,
                "setMyCommands": self._set_my_commands,
                "getMyCommands": self._get_my_commands,
                "deleteMyCommands": self._delete_my_commands,
                "leaveChat": self._leave_chat,
                "setChatMenuButton": self._set_chat_menu_button,
                "getChatMenuButton": self._get_chat_menu_button,
                "setMyDescription": self._setting_setter("description"),
                "getMyDescription": self._setting_getter("description"),
                "setMyShortDescription": self._setting_setter("short_description"),
                "getMyShortDescription": self._setting_getter("short_description"),
                "setMyName": self._setting_setter("name"),
                "getMyName": self._setting_getter("name"),
            }.items()
        }

    # -- lifecycle -------------------------------------------------------------------------

    @property
    def url(self) -> str:
        """Root URL, e.g. http://127.0.0.1:40123."""
        if self._runner is None:
            raise RuntimeError("BotApiServer is not started")
        return f"http://{self.host}:{self.port}"

    @property
    def api_base_url(self) -> str:
        """For ApplicationBuilder.base_url()."""
        return f"{self.url}/bot"

    @property
    def file_base_url(self) -> str:
        """For ApplicationBuilder.base_file_url()."""
        return f"{self.url}/file/bot"

    async def start(self) -> Self:
        app = web.Application(client_max_size=MAX_UPLOAD_BYTES + 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await runner.setup()
        site = web.TCPSite(runner, self.host, self.port)
        await site.start()
        self._runner = runner
        self.port = runner.addresses[0][1]
        return self

    async def close(self) -> None:
        """Stop serving; held getUpdates and delayed requests are released first."""
        if self._runner is None:
            return
        self._closing = True
        self._notify()
        runner, self._runner = self._runner, None
        await runner.cleanup()

    async def __aenter__(self) -> Self:
        return await self.start()

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    def application_builder(self) -> ApplicationBuilder:
        """An ApplicationBuilder with this server's token and URLs set."""
        return (
            ApplicationBuilder()
            .token(self.token)
            .base_url(self.api_base_url)
            .base_file_url(self.file_base_url)
        )

    # -- users and updates -----------------------------------------------------------------

    def user(
        self,
        chat_id: int,
        first_name: str = "Test",
        *,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "nl",
    ) -> SimulatedUser:
        """The user with this private chat id (created on first call, later calls reuse it)."""
        if chat_id not in self._users:
            self._users[chat_id] = SimulatedUser(
                self, chat_id, first_name, last_name, username, language_code
            )
        return self._users[chat_id]

    def group(self, chat_id: int, title: str = "Groep") -> SimulatedUser:
        """A group chat (negative id) the bot can be added to; it records the bot's messages
        like a private chat does."""
        if chat_id not in self._users:
            group = SimulatedUser(self, chat_id, title, None, None, None)
            group.chat_dict = {"id": chat_id, "type": "group", "title": title}
            self._users[chat_id] = group
        self._left.discard(chat_id)
        return self._users[chat_id]

    def _queue_membership(self, by: SimulatedUser, chat: JSON, old: str, new: str) -> int:
        def member(status: str) -> JSON:
            extra = {"until_date": 0} if status == "kicked" else {}
            return {"user": self.bot_user, "status": status, **extra}

        change = {
            "chat": chat,
            "from": by.user_dict,
            "date": _now(),
            "old_chat_member": member(old),
            "new_chat_member": member(new),
        }
        return self.queue_update({"my_chat_member": change})

    @property
    def left_chats(self) -> list[int]:
        """Chats the bot left with leaveChat, in order."""
        return list(self._left_order)

    @property
    def users(self) -> dict[int, SimulatedUser]:
        return dict(self._users)

    def queue_update(self, content: JSON) -> int:
        """Queue a raw update (without update_id, e.g. {"message": {...}}); returns its id."""
        update_id = next(self._update_ids)
        kind = next(iter(content))
        extra, self._duplicate_next = self._duplicate_next, 0
        self._queue.append(
            _QueuedUpdate(update_id, {"update_id": update_id, **content}, kind, extra)
        )
        self._notify()
        return update_id

    def duplicate_next_update(self, times: int = 1) -> None:
        """Deliver the next queued update ``times`` more times, even after it was confirmed
        (as Telegram may after a reconnect)."""
        self._duplicate_next = times

    @property
    def updates_pending(self) -> int:
        """Updates not yet confirmed by the bot (Telegram's pending_update_count)."""
        return len(self._queue)

    async def wait_until_updates_consumed(self, timeout: float = 5.0) -> None:
        """Wait until the bot has fetched and confirmed every queued update."""
        await self.wait_for(lambda: not self._queue, timeout)

    def _queue_callback(self, user: SimulatedUser, msg: BotMessage, data: str) -> str:
        query_id = f"{user.chat_id}{next(self._callback_ids):08d}"
        self.callback_queries.append(query_id)
        self._callback_chats[query_id] = user.chat_id
        query = {
            "id": query_id,
            "from": user.user_dict,
            "message": msg.to_api(),
            "chat_instance": f"{user.chat_id * 7919}",
            "data": data,
        }
        self.queue_update({"callback_query": query})
        return query_id

    @property
    def unanswered_callbacks(self) -> list[str]:
        return [q for q in self.callback_queries if q not in self.callback_answers]

    # -- assertions --------------------------------------------------------------------------

    def calls_to(self, method: str) -> list[JSON]:
        """Parameters of every call to ``method`` (case-insensitive), in order."""
        method = method.lower()
        return [c.params for c in self.calls if c.method.lower() == method]

    def message_count(self, chat_id: int) -> int:
        """Messages the bot delivered to this chat (including later deleted ones)."""
        user = self._users.get(chat_id)
        return len(user._all) if user else 0

    def messages_per_chat(self) -> dict[int, int]:
        return {chat_id: len(u._all) for chat_id, u in self._users.items() if u._all}

    def my_commands(
        self, language_code: str = "", scope: JSON | None = None
    ) -> list[tuple[str, str]]:
        """Commands set with setMyCommands for this scope (default) and language."""
        stored = self._commands.get((_scope_key(scope), language_code), [])
        return [(c["command"], c["description"]) for c in stored]

    async def wait_for(
        self, predicate: Callable[[], bool], timeout: float = 5.0, what: str = "condition"
    ) -> None:
        """Wait until ``predicate()`` holds. It is re-checked after every server state change
        and at least every 20 ms (so it may also watch state outside the server)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not predicate():
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError(f"{what} not reached within {timeout}s")
            await self._wait_change(min(remaining, 0.02))

    # -- fault injection ---------------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        status: int = 429,
        *,
        retry_after: float | None = 1,
        times: int = 1,
        description: str | None = None,
    ) -> None:
        """The next ``times`` calls to ``method`` ("*" = any but getUpdates) fail with
        ``status``; 429 carries parameters.retry_after (PTB raises RetryAfter)."""
        if description is None:
            if status == 429:
                description = f"Too Many Requests: retry after {retry_after}"
            else:
                description = _STATUS_TEXT.get(status, f"Error {status}")
        fault = _Fault(status, description, retry_after if status == 429 else None, times)
        self._faults.setdefault(method.lower(), deque()).append(fault)

    def delay_next(
        self, method: str, seconds: float, *, times: int = 1, drop: bool = False
    ) -> None:
        """Hold the next ``times`` calls to ``method`` for ``seconds`` before carrying them out.

        A client that times out meanwhile still gets its call carried out (as on Telegram:
        the message arrives although the bot saw TimedOut), unless ``drop``: then the call is
        discarded and answered with 504.
        """
        self._delays.setdefault(method.lower(), deque()).append(_Delay(seconds, drop, times))

    def block(self, chat_id: int) -> None:
        """From now on every call aimed at this chat gets 403 "bot was blocked by the user"."""
        self._blocked.add(chat_id)

    def unblock(self, chat_id: int) -> None:
        self._blocked.discard(chat_id)

    # -- internals: plumbing -----------------------------------------------------------------

    def _notify(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    async def _wait_change(self, timeout: float) -> None:
        event = self._changed
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(event.wait(), timeout)

    async def _sleep(self, seconds: float) -> None:
        """Sleep, but wake up early when the server closes."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        while not self._closing and (remaining := deadline - loop.time()) > 0:
            await self._wait_change(remaining)

    @staticmethod
    def _take(table: dict[str, deque[Any]], method: str) -> Any:
        key = method.lower()
        for candidate in (key, "*") if key != "getupdates" else (key,):
            pending = table.get(candidate)
            if pending:
                item = pending[0]
                item.remaining -= 1
                if item.remaining <= 0:
                    pending.popleft()
                return item
        return None

    async def _handle_api(self, request: web.Request) -> web.Response:
        name = request.match_info["method"]
        method, handler = self._methods.get(name.lower(), (name, None))
        try:
            raw = await _read_params(request)
        except ValueError:
            return self._error(method, {}, _bad("can't parse request body"))
        if request.match_info["token"] != self.token:
            return self._error(method, _log_params(raw), _Fail(401, "Unauthorized"))
        log_params = _log_params(raw)
        if method == "getUpdates":
            self.get_updates_calls += 1
        elif self.record_calls:
            self.calls.append(ApiCall(method, log_params))
        if handler is None:
            self.unknown_methods.append(name)
            return self._error(method, log_params, _Fail(404, "Not Found: method not found"))
        delay: _Delay | None = self._take(self._delays, method)
        if delay is not None:
            await self._sleep(delay.seconds)
            if delay.drop:
                return self._error(method, log_params, _Fail(504, "Gateway Timeout"))
        fault: _Fault | None = self._take(self._faults, method)
        if fault is not None:
            failure = _Fail(fault.status, fault.description, fault.retry_after)
            return self._error(method, log_params, failure)
        try:
            result = await handler(_Params(raw, request))
        except _Fail as failure:
            return self._error(method, log_params, failure)
        return web.json_response({"ok": True, "result": result})

    def _error(self, method: str, params: JSON, failure: _Fail) -> web.Response:
        self.errors.append(ApiError(method, failure.status, failure.description, params))
        self._notify()
        body = _error_body(failure.status, failure.description, failure.retry_after)
        return web.json_response(body, status=failure.status)

    async def _handle_file(self, request: web.Request) -> web.Response:
        stored = self._file_paths.get(request.match_info["path"])
        if request.match_info["token"] != self.token or stored is None:
            return web.json_response(_error_body(404, "Not Found"), status=404)
        return web.Response(body=stored.content, content_type="application/octet-stream")

    def _store_file(
        self,
        content: bytes,
        folder: str,
        suffix: str,
        *,
        filename: str | None = None,
        mime_type: str | None = None,
    ) -> _StoredFile:
        number = next(self._file_ids)
        suffix = suffix or (
            ("." + filename.rsplit(".", 1)[1]) if filename and "." in filename else ""
        )
        stored = _StoredFile(
            file_id=f"TEST-{folder}-{number:06d}",
            file_unique_id=f"U{number:06d}",
            content=content,
            file_path=f"{folder}/file_{number}{suffix}",
            filename=filename,
            mime_type=mime_type,
        )
        self._files[stored.file_id] = stored
        self._file_paths[stored.file_path] = stored
        return stored

    # -- internals: shared validation ---------------------------------------------------------

    def _chat(self, p: _Params) -> SimulatedUser:
        value = p.get_str("chat_id")
        if not value:
            raise _bad("chat_id is empty")
        user: SimulatedUser | None = None
        if value.startswith("@"):
            user = next((u for u in self._users.values() if u.username == value[1:]), None)
        else:
            with contextlib.suppress(ValueError):
                user = self._users.get(int(value))
        if user is None:
            raise _bad("chat not found")
        if user.chat_id in self._blocked:
            raise _Fail(403, _BLOCKED)
        if user.chat_id in self._left:
            raise _Fail(403, _NOT_MEMBER)
        return user

    @staticmethod
    def _format(text: str, parse_mode: str | None, entities: Any) -> tuple[str, list[JSON]]:
        mode = (parse_mode or "").lower()
        if mode == "html":
            try:
                return parse_html(text)
            except EntityParseError as exc:
                raise _bad(f"can't parse entities: {exc}") from None
        if mode in ("markdown", "markdownv2"):
            return text, []  # not validated: this project uses HTML
        if mode:
            raise _bad("unsupported parse_mode")
        return text, list(entities or [])

    def _text(self, p: _Params, key: str = "text") -> tuple[str, str, list[JSON]]:
        text = p.get_str(key) or ""
        entities_key = "entities" if key == "text" else "caption_entities"
        plain, entities = self._format(text, p.get_str("parse_mode"), p.get_json(entities_key))
        limit = MAX_TEXT_LENGTH if key == "text" else MAX_CAPTION_LENGTH
        if key == "text" and not plain.strip():
            raise _bad("message text is empty")
        if _utf16_len(plain) > limit:
            raise _bad("message is too long" if key == "text" else "message caption is too long")
        return text, plain, entities

    @staticmethod
    def _markup(p: _Params, *, inline_only: bool = False) -> tuple[JSON | None, JSON | None]:
        """(inline keyboard, other reply markup) from the reply_markup parameter."""
        markup = p.get_json("reply_markup")
        if markup in (None, ""):
            return None, None
        if not isinstance(markup, dict):
            raise _bad("can't parse reply keyboard markup JSON object")
        if "inline_keyboard" in markup:
            rows = markup["inline_keyboard"]
            if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
                raise _bad(
                    "can't parse inline keyboard button: InlineKeyboardButton must be an Object"
                )
            for row in rows:
                for button in row:
                    _check_button(button)
            return (markup if any(rows) else None), None
        if inline_only:
            raise _bad("inline keyboard expected")
        if "keyboard" in markup or "remove_keyboard" in markup or "force_reply" in markup:
            return None, markup
        raise _bad("can't parse reply keyboard markup JSON object")

    def _deliver(self, user: SimulatedUser, record: BotMessage) -> JSON:
        record._base = {"from": self.bot_user, "chat": user.chat_dict}
        user._all.append(record)
        user._bot_by_id[record.message_id] = record
        self.sent_messages.append(record)
        if record.reply_keyboard is not None:
            if "keyboard" in record.reply_keyboard:
                user.reply_keyboard = [
                    [b if isinstance(b, str) else b.get("text", "") for b in row]
                    for row in record.reply_keyboard["keyboard"]
                ]
            elif "remove_keyboard" in record.reply_keyboard:
                user.reply_keyboard = None
        self._notify()
        return record.to_api()

    def _reply_to(self, user: SimulatedUser, p: _Params) -> JSON | None:
        """The message replied to (Telegram's reply_to_message), from reply_parameters."""
        reply = p.get_json("reply_parameters") or {}
        message_id = reply.get("message_id") or p.get_int("reply_to_message_id")
        if message_id is None:
            return None
        if message_id in user._user_messages:
            return user._user_messages[message_id]
        bot_message = user._bot_by_id.get(message_id)
        if bot_message is not None and not bot_message.deleted:
            return bot_message.to_api()
        if reply.get("allow_sending_without_reply"):
            return None
        raise _bad("message to be replied not found")

    def _new_message(
        self, user: SimulatedUser, p: _Params, kind: str, text_key: str
    ) -> BotMessage:
        if text_key == "caption" and not p.has("caption"):
            text, plain, entities = None, None, []
        else:
            text, plain, entities = self._text(p, text_key)
        inline, other = self._markup(p)
        reply_to = self._reply_to(user, p)
        return BotMessage(
            message_id=next(user._message_ids),
            chat_id=user.chat_id,
            kind=kind,
            date=_now(),
            text=text,
            plain_text=plain,
            parse_mode=p.get_str("parse_mode"),
            entities=entities,
            reply_markup=inline,
            reply_keyboard=other,
            protect_content=p.get_bool("protect_content"),
            disable_notification=p.get_bool("disable_notification"),
            link_preview_options=p.get_json("link_preview_options"),
            reply_to_message_id=reply_to["message_id"] if reply_to else None,
            _reply_to_message=reply_to,
        )

    def _upload(self, p: _Params, name: str) -> tuple[bytes | None, _StoredFile | None]:
        """(uploaded bytes, stored file) for a file parameter: upload, file_id or URL."""
        value = p.get_file(name)
        if isinstance(value, UploadedFile):
            if not value.content:
                raise _bad("file must be non-empty")
            if len(value.content) > MAX_UPLOAD_BYTES:
                raise _Fail(413, "Request Entity Too Large")
            return value.content, None
        if isinstance(value, str) and value in self._files:
            return self._files[value].content, self._files[value]
        if isinstance(value, str) and value.startswith(("http://", "https://")):
            return None, None
        if value is None:
            raise _bad(f"there is no {name} in the request")
        raise _bad("wrong file identifier/HTTP URL specified")

    def _editable(self, p: _Params) -> tuple[SimulatedUser, BotMessage]:
        if p.has("inline_message_id"):
            raise _bad("MESSAGE_ID_INVALID")
        user = self._chat(p)
        message_id = p.get_int("message_id")
        record = user._bot_by_id.get(message_id) if message_id is not None else None
        if record is None or record.deleted:
            if message_id in user._user_messages:
                raise _bad("message can't be edited")
            raise _bad("message to edit not found")
        return user, record

    @staticmethod
    def _apply_edit(record: BotMessage, **changes: Any) -> None:
        record.history.append(record.text)
        for key, value in changes.items():
            setattr(record, key, value)
        record.edit_count += 1
        record.edit_date = _now()

    # -- methods -----------------------------------------------------------------------------

    async def _true(self, p: _Params) -> bool:
        return True

    async def _get_me(self, p: _Params) -> JSON:
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _get_updates(self, p: _Params) -> list[JSON]:
        if self.webhook is not None:
            raise _Fail(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = p.get_int("offset", 0) or 0
        limit = min(max(p.get_int("limit", 100) or 100, 1), 100)
        timeout = max(p.get_float("timeout", 0.0), 0.0)
        allowed = p.get_json("allowed_updates")
        if isinstance(allowed, list):
            self._allowed_updates = frozenset(allowed) or None
        self._poll_generation += 1
        generation = self._poll_generation
        self._confirm(offset)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            if self._allowed_updates is not None:
                self._queue = deque(u for u in self._queue if u.kind in self._allowed_updates)
            if self._queue:
                batch = list(itertools.islice(self._queue, limit))
                for update in batch:
                    update.deliveries += 1
                return [u.payload for u in batch]
            if self._closing:
                return []
            if generation != self._poll_generation:
                # A newer getUpdates ends this one. If our client is gone (PTB cancels its long
                # poll on Updater.stop), nobody reads the answer; otherwise two bots are polling.
                await asyncio.sleep(0.05)
                if not p.client_connected():
                    return []
                raise _Fail(409, _STATUS_TEXT[409])
            remaining = deadline - loop.time()
            if remaining <= 0:
                return []
            await self._wait_change(remaining)

    def _confirm(self, offset: int) -> None:
        """Forget updates before ``offset`` (negative: keep only the last -offset)."""
        if offset < 0:
            while len(self._queue) > -offset:
                self._queue.popleft()
        elif offset > 0:
            kept: deque[_QueuedUpdate] = deque()
            for update in self._queue:
                if update.update_id >= offset:
                    kept.append(update)
                elif update.deliveries and update.extra_deliveries > 0:
                    update.extra_deliveries -= 1
                    kept.append(update)
            self._queue = kept
        self._notify()

    async def _set_webhook(self, p: _Params) -> bool:
        if not p.has("url"):
            return await self._delete_webhook(p)
        self.webhook = {k: v for k, v in _log_params(p.raw).items() if k != "certificate"}
        if p.get_bool("drop_pending_updates"):
            self._queue.clear()
        return True

    async def _delete_webhook(self, p: _Params) -> bool:
        self.webhook = None
        if p.get_bool("drop_pending_updates"):
            self._queue.clear()
            self._notify()
        return True

    async def _get_webhook_info(self, p: _Params) -> JSON:
        return {
            "url": (self.webhook or {}).get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": len(self._queue),
        }

    async def _send_message(self, p: _Params) -> JSON:
        user = self._chat(p)
        record = self._new_message(user, p, "text", "text")
        return self._deliver(user, record)

    async def _send_photo(self, p: _Params) -> JSON:
        user = self._chat(p)
        data, existing = self._upload(p, "photo")
        size = _image_size(data) if data is not None else (800, 600)
        if size is None:
            raise _bad("IMAGE_PROCESS_FAILED")
        width, height = size
        if width + height > 10000 or min(width, height) <= 0:
            raise _bad("PHOTO_INVALID_DIMENSIONS")
        record = self._new_message(user, p, "photo", "caption")
        stored = existing or self._store_file(
            data or b"", "photos", ".jpg", mime_type="image/jpeg"
        )
        sizes = [_photo_size(stored, width, height)]
        if max(width, height) > 90:
            scale = 90 / max(width, height)
            thumb = _photo_size(
                stored, max(1, round(width * scale)), max(1, round(height * scale))
            )
            sizes.insert(0, {**thumb, "file_unique_id": stored.file_unique_id + "t"})
        record.photo = data
        record._media = sizes
        return self._deliver(user, record)

    async def _send_document(self, p: _Params) -> JSON:
        user = self._chat(p)
        data, existing = self._upload(p, "document")
        upload = p.get_file("document")
        record = self._new_message(user, p, "document", "caption")
        if existing is None:
            filename = upload.filename if isinstance(upload, UploadedFile) else None
            mime = upload.content_type if isinstance(upload, UploadedFile) else None
            existing = self._store_file(
                data or b"", "documents", "", filename=filename, mime_type=mime
            )
        record.document = data
        record.filename = existing.filename
        record.mime_type = existing.mime_type
        record._media = _document(existing)
        return self._deliver(user, record)

    async def _send_chat_action(self, p: _Params) -> bool:
        user = self._chat(p)
        action = p.get_str("action") or ""
        if action not in _CHAT_ACTIONS:
            raise _bad("wrong parameter action in request")
        user.chat_actions.append(action)
        self._notify()
        return True

    async def _edit_message_text(self, p: _Params) -> JSON:
        _, record = self._editable(p)
        if record.kind != "text":
            raise _bad("there is no text in the message to edit")
        text, plain, entities = self._text(p)
        inline, _ = self._markup(p, inline_only=True)
        if (plain, entities, inline) == (record.plain_text, record.entities, record.reply_markup):
            raise _Fail(400, NOT_MODIFIED)
        self._apply_edit(
            record,
            text=text,
            plain_text=plain,
            entities=entities,
            parse_mode=p.get_str("parse_mode"),
            reply_markup=inline,
            link_preview_options=p.get_json("link_preview_options"),
        )
        self._notify()
        return record.to_api()

    async def _edit_message_caption(self, p: _Params) -> JSON:
        _, record = self._editable(p)
        if record.kind == "text":
            raise _bad("there is no caption in the message to edit")
        if p.has("caption"):
            text, plain, entities = self._text(p, "caption")
        else:
            text, plain, entities = None, None, []
        inline, _ = self._markup(p, inline_only=True)
        if (plain, entities, inline) == (record.plain_text, record.entities, record.reply_markup):
            raise _Fail(400, NOT_MODIFIED)
        self._apply_edit(
            record,
            text=text,
            plain_text=plain,
            entities=entities,
            parse_mode=p.get_str("parse_mode"),
            reply_markup=inline,
        )
        self._notify()
        return record.to_api()

    async def _edit_message_reply_markup(self, p: _Params) -> JSON:
        _, record = self._editable(p)
        inline, _ = self._markup(p, inline_only=True)
        if inline == record.reply_markup:
            raise _Fail(400, NOT_MODIFIED)
        self._apply_edit(record, reply_markup=inline)
        self._notify()
        return record.to_api()

    async def _delete_message(self, p: _Params) -> bool:
        user = self._chat(p)
        message_id = p.get_int("message_id")
        record = user._bot_by_id.get(message_id) if message_id is not None else None
        if record is not None and not record.deleted:
            record.deleted = True
        elif message_id is None or user._user_messages.pop(message_id, None) is None:
            raise _bad("message to delete not found")
        self._notify()
        return True

    async def _answer_callback_query(self, p: _Params) -> bool:
        query_id = p.get_str("callback_query_id") or ""
        if query_id not in self._callback_chats or query_id in self.callback_answers:
            raise _bad(_QUERY_INVALID)
        self.callback_answers[query_id] = {
            "text": p.get_str("text"),
            "show_alert": p.get_bool("show_alert"),
            "url": p.get_str("url"),
        }
        self._notify()
        return True

    async def _get_file(self, p: _Params) -> JSON:
        stored = self._files.get(p.get_str("file_id") or "")
        if stored is None:
            raise _bad("invalid file_id")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.content),
            "file_path": stored.file_path,
        }

    async def _set_my_commands(self, p: _Params) -> bool:
        commands = p.get_json("commands")
        if not isinstance(commands, list):
            raise _bad("can't parse commands JSON object")
        for command in commands:
            if not _COMMAND_RE.fullmatch(str(command.get("command", ""))):
                raise _bad("BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                raise _bad("command description must be 1-256 characters")
        key = (_scope_key(p.get_json("scope")), p.get_str("language_code") or "")
        self._commands[key] = [
            {"command": c["command"], "description": c["description"]} for c in commands
        ]
        return True

    async def _get_my_commands(self, p: _Params) -> list[JSON]:
        key = (_scope_key(p.get_json("scope")), p.get_str("language_code") or "")
        return self._commands.get(key, [])

    async def _delete_my_commands(self, p: _Params) -> bool:
        key = (_scope_key(p.get_json("scope")), p.get_str("language_code") or "")
        self._commands.pop(key, None)
        return True

    async def _leave_chat(self, p: _Params) -> bool:
        user = self._chat(p)
        if user.chat_dict.get("type") == "private":
            raise _bad("chat member status can't be changed in private chats")
        self._left.add(user.chat_id)
        self._left_order.append(user.chat_id)
        self._notify()
        return True

    async def _set_chat_menu_button(self, p: _Params) -> bool:
        chat_id = p.get_int("chat_id")
        if chat_id is not None and chat_id not in self._users:
            raise _bad("chat not found")
        self.menu_buttons[chat_id] = p.get_json("menu_button") or {"type": "default"}
        return True

    async def _get_chat_menu_button(self, p: _Params) -> JSON:
        chat_id = p.get_int("chat_id")
        return self.menu_buttons.get(chat_id) or self.menu_buttons.get(None) or {"type": "default"}

    def _setting_setter(self, key: str) -> _Handler:
        async def setter(p: _Params) -> bool:
            self.bot_settings[(key, p.get_str("language_code") or "")] = p.get_str(key) or ""
            return True

        return setter

    def _setting_getter(self, key: str) -> _Handler:
        async def getter(p: _Params) -> JSON:
            lang = p.get_str("language_code") or ""
            value = self.bot_settings.get((key, lang), self.bot_settings.get((key, ""), ""))
            return {key: value}

        return getter


def _scope_key(scope: Any) -> str:
    return json.dumps(scope or {"type": "default"}, sort_keys=True)


def _check_button(button: Any) -> None:
    if not isinstance(button, dict) or not isinstance(button.get("text"), str):
        raise _bad(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )
    if "callback_data" in button:
        data = button["callback_data"]
        if not isinstance(data, str) or not 1 <= len(data.encode()) <= MAX_CALLBACK_DATA_BYTES:
            raise _bad("BUTTON_DATA_INVALID")
    elif "url" in button:
        if not str(button["url"]).startswith(("http://", "https://", "tg://")):
            raise _bad("BUTTON_URL_INVALID")
    elif len(button) < 2:
        raise _bad(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )


@contextlib.asynccontextmanager
async def running_application(
    app: Application[Any, Any, Any, Any, Any, Any], *, poll_timeout: int = 1
) -> AsyncIterator[Application[Any, Any, Any, Any, Any, Any]]:
    """Run ``app`` with long polling (poll_interval=0) and shut it down in order afterwards."""
    await app.initialize()
    try:
        await app.start()
        try:
            assert app.updater is not None
            await app.updater.start_polling(poll_interval=0, timeout=poll_timeout)
            try:
                yield app
            finally:
                await app.updater.stop()
        finally:
            await app.stop()
    finally:
        await app.shutdown()
