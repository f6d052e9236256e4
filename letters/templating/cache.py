"""A cache of swletter's own letter templates, compiled, so a render need not compile them again.

Jinja2 compiles every template it loads (parse, generate Python, compile it): 35–90 ms for the
six templates of a letter, an eighth of a whole ``swletter render``. Like Python's own
``__pycache__``, this keeps the compiled code in the user's cache folder
(``$XDG_CACHE_HOME/swletter/templates``, else ``~/.cache/swletter/templates``), where the next
run loads it in about a millisecond.

What is kept is code compiled from the templates that ship with swletter, nothing else: no case
data, and never a template from a user's ``--templates`` folder (those environments get no
cache). The folder and files are owner-only, and a folder that others could write to is not
used. An entry is used only when the template's text, its path, Python's bytecode version,
Jinja2's version and the environment's settings all match what it was compiled from; anything
else compiles afresh. A cache that cannot be read or written only costs time: no render fails
because of it.
"""

from __future__ import annotations

import functools
import importlib.util
import marshal
import os
import stat
import sys
import tempfile
import types
from pathlib import Path

import jinja2
from jinja2.bccache import Bucket, BytecodeCache

from letters.output import make_folder

#: Bump when the file layout below changes.
_FORMAT = b"swletter-template-cache 1\n"


def cache_folder() -> Path | None:
    """Where compiled templates are kept, or None when there is no home to keep them in.

    Read on every use (not once per process) so that ``XDG_CACHE_HOME`` set later, as the test
    suite does, is honoured.
    """
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # the XDG spec: a relative path is to be ignored
        if sys.platform == "win32" and os.path.isabs(os.environ.get("LOCALAPPDATA", "")):
            base = os.environ["LOCALAPPDATA"]
        else:
            try:
                base = str(Path.home() / ".cache")
            except RuntimeError:  # no home directory to be found
                return None
    return Path(base) / "swletter" / "templates"


@functools.cache
def _settings_key(environment: jinja2.Environment) -> bytes:
    """What, besides a template's text, decides the code Jinja2 compiles it to."""
    env = environment
    finalize = env.finalize
    settings = (
        jinja2.__version__, type(env).__qualname__, env.code_generator_class.__qualname__,
        env.block_start_string, env.block_end_string, env.variable_start_string,
        env.variable_end_string, env.comment_start_string, env.comment_end_string,
        env.line_statement_prefix, env.line_comment_prefix, env.trim_blocks, env.lstrip_blocks,
        env.newline_sequence, env.keep_trailing_newline, env.optimized, env.is_async,
        sorted(env.extensions),
        None if finalize is None else getattr(finalize, "jinja_pass_arg", "plain"),
        env.autoescape if isinstance(env.autoescape, bool) else "select",
    )
    return repr(settings).encode("utf-8")


def _header(bucket: Bucket) -> bytes:
    return b"".join((_FORMAT, importlib.util.MAGIC_NUMBER, b"\n",
                     _settings_key(bucket.environment), b"\n", bucket.checksum.encode(), b"\n"))


def _private_folder(folder: Path) -> bool:
    """True when ``folder`` is ours alone (on systems with owners and modes)."""
    if not hasattr(os, "getuid"):
        return True
    info = folder.stat()
    return info.st_uid == os.getuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


class TemplateCache(BytecodeCache):
    """Jinja2 bytecode cache in the user's cache folder, which fails only by compiling again."""

    def load_bytecode(self, bucket: Bucket) -> None:
        """Put the cached code for ``bucket`` into it, if there is a matching entry."""
        folder = cache_folder()
        if folder is None:
            return
        try:
            if not _private_folder(folder):
                return
            data = (folder / f"{bucket.key}.cache").read_bytes()
        except OSError:  # no cache yet, or one we cannot read
            return
        header = _header(bucket)
        if not data.startswith(header):
            return  # another template text, Python, Jinja2 or setting: compile afresh
        try:
            code = marshal.loads(data[len(header):])
        except (EOFError, ValueError, TypeError):  # a damaged file
            return
        if isinstance(code, types.CodeType):
            bucket.code = code

    def dump_bytecode(self, bucket: Bucket) -> None:
        """Keep ``bucket``'s freshly compiled code for the next run, if the folder allows."""
        folder = cache_folder()
        if folder is None or bucket.code is None:
            return
        data = _header(bucket) + marshal.dumps(bucket.code)
        try:
            make_folder(folder)
            if not _private_folder(folder):
                return
            # Written beside its name, then moved into place: two runs at once (bulk --jobs)
            # never see half a file.
            handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{bucket.key}.")
            try:
                with os.fdopen(handle, "wb") as out:
                    out.write(data)
                os.replace(temporary, folder / f"{bucket.key}.cache")
            except OSError:
                os.unlink(temporary)
                raise
        except OSError:  # read-only home, full disk, a file where the folder should be …
            return
