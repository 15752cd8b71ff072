"""Every run kept in the user's data folder, listed from their small ``run.json`` files.

Layout (``<user data folder>/runs/``)::

    runs/
      20250612-101530-123456-a1b2/     one folder a run, named by its id
        run.json                       what the run was (a few kB; all a listing reads)
        curves.npz                     per-batch and per-epoch metrics
        checkpoints.json               the index of its checkpoints
        checkpoints/000000500.npz      the weights after step 500 (float32, one a file)
      .trash/<id>/                     deleted runs, until the trash is emptied
      .<id>.new/                       a run being created (renamed into place at once)

A run id is the UTC start time and 4 random hex digits: unique, and sorting ids sorts
runs by start. A run folder appears whole (it is filled under a hidden name, then
renamed), so a listing never sees a run without its ``run.json``; a damaged file makes
its run skipped, with a line in :attr:`RunHistory.problems`.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import time
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path

from core.atomic_file import write_problem
from core.model import Sequential
from core.personal import default_folder
from core.runs.compare import differences
from core.runs.curves import write_csv
from core.runs.files import CHECKPOINT_FOLDER, RUN_FILE, RunFileError, write_json
from core.runs.record import RunRecorder
from core.runs.run import DatasetInfo, Run, StartWeights
from core.runs.timeline import DEFAULT_BUDGET

RUNS_FOLDER = "runs"
TRASH_FOLDER = ".trash"
MAX_NAME = 200
STALE_NEW = 3600.0
"""Seconds after which a half-created run folder (``.<id>.new``) is cleaned away."""
_ID = re.compile(r"^\d{8}-\d{6}-\d{6}-[0-9a-f]{4}$")


class RunNotFound(LookupError):
    """No run with that id is kept (or it is in the trash)."""


def new_run_id(now: float | None = None) -> str:
    """A fresh run id: ``YYYYMMDD-HHMMSS-microseconds-xxxx`` in UTC."""
    moment = datetime.fromtimestamp(time.time() if now is None else now, UTC)
    return moment.strftime("%Y%m%d-%H%M%S-%f") + "-" + secrets.token_hex(2)


def check_name(name: object) -> str:
    """A run name, stripped; ValueError if it is no text, empty or too long."""
    if not isinstance(name, str):
        raise ValueError(f"a run name must be a text, got {type(name).__name__}")
    cleaned = " ".join("".join(c if c.isprintable() else " " for c in name).split())
    if not cleaned:
        raise ValueError("a run name cannot be empty")
    if len(cleaned) > MAX_NAME:
        raise ValueError(f"a run name can have at most {MAX_NAME} characters")
    return cleaned


class RunHistory:
    """The runs kept in ``folder``/runs (``folder`` defaults to the user's data folder:
    $NNVIZ_USER_DIR, else $XDG_DATA_HOME/nnviz, else ~/.local/share/nnviz).

    Listing reads only each run's ``run.json`` (and re-reads it only when it changed);
    curves and checkpoints are read when a :class:`Run` is asked for them.
    """

    def __init__(self, folder: str | Path | None = None) -> None:
        self.folder = Path(folder) if folder is not None else default_folder()
        self.path = self.folder / RUNS_FOLDER
        self.problems: list[str] = []
        """One line for each run the last :meth:`runs` skipped, saying why."""
        self._cache: dict[str, tuple[tuple[int, int, int], Run]] = {}
        self._live: dict[str, RunRecorder] = {}

    def __repr__(self) -> str:
        return f"RunHistory({str(self.path)!r})"

    # -- listing ----------------------------------------------------------------------
    def runs(self) -> list[Run]:
        """Every kept run, newest first; a run whose ``run.json`` cannot be read is
        skipped and reported in :attr:`problems`."""
        problems, found = [], []
        try:
            entries = list(os.scandir(self.path))
        except FileNotFoundError:
            entries = []
        except OSError as exc:
            problems.append(f"{self.path} cannot be read ({write_problem(exc)})")
            entries = []
        for entry in entries:
            if entry.name.startswith("."):
                self._clean_if_stale(entry)
                continue
            if not _ID.match(entry.name) or not entry.is_dir():
                continue
            try:
                found.append(self._read(entry.name))
            except RunFileError as exc:
                problems.append(f"{exc}; the run is skipped")
        self.problems = problems
        seen = {run.id for run in found}
        self._cache = {k: v for k, v in self._cache.items() if k in seen}
        return sorted(found, key=lambda run: (run.started, run.id), reverse=True)

    def get(self, run_id: str) -> Run:
        """The run ``run_id`` (RunNotFound if there is none, RunFileError if its
        ``run.json`` is damaged)."""
        return self._read(self._check_id(run_id))

    def __contains__(self, run_id: object) -> bool:
        return isinstance(run_id, str) and bool(_ID.match(run_id)) and \
            (self.path / run_id / RUN_FILE).exists()

    def _check_id(self, run_id: object) -> str:
        if not isinstance(run_id, str) or not _ID.match(run_id):
            raise RunNotFound(f"{run_id!r:.60} is not a run id")
        return run_id

    def _read(self, run_id: str) -> Run:
        folder = self.path / run_id
        try:
            info = os.stat(folder / RUN_FILE)
        except FileNotFoundError:
            if folder.is_dir():
                raise RunFileError(f"run {run_id} has no {RUN_FILE}") from None
            raise RunNotFound(f"no run {run_id} is kept") from None
        except OSError as exc:
            raise RunFileError(f"run {run_id}: {RUN_FILE} cannot be read "
                               f"({write_problem(exc)})") from None
        stamp = (info.st_mtime_ns, info.st_size, info.st_ino)
        cached = self._cache.get(run_id)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        run = Run.read(folder)
        self._cache[run_id] = (stamp, run)
        return run

    def _clean_if_stale(self, entry: os.DirEntry) -> None:
        """Remove a run folder left half-created by a crash (``.<id>.new``, old)."""
        if not entry.name.endswith(".new"):
            return
        try:
            if time.time() - entry.stat().st_mtime > STALE_NEW:
                shutil.rmtree(entry.path, ignore_errors=True)
        except OSError:
            pass

    # -- recording --------------------------------------------------------------------
    def record(self, model: Sequential, *, dataset: DatasetInfo, settings: Mapping,
               start: StartWeights, name: str | None = None,
               budget: int = DEFAULT_BUDGET) -> RunRecorder:
        """Start keeping a new run of ``model`` (built; about to train): its folder and
        ``run.json`` are written now, the starting weights kept as checkpoint 0.

        ``settings``: every training setting as plain data (e.g. ``asdict`` of the
        app's settings); ``start``: where the weights came from (a
        :class:`CheckpointWeights` makes this run a continuation of that one);
        ``budget``: bytes of checkpoints to keep. ValueError for bad input, RunFileError
        when the folder cannot be written; nothing is left behind either way.
        """
        name = check_name(name) if name is not None else \
            datetime.now().astimezone().strftime("Run of %Y-%m-%d %H:%M:%S")
        for _ in range(10):
            run_id = new_run_id()
            if run_id not in self:
                break
        recorder = RunRecorder(self.path / run_id, run_id, model, dataset=dataset,
                               settings=settings, start=start, name=name, budget=budget,
                               on_close=lambda r: self._live.pop(r.id, None))
        building = self.path / f".{run_id}.new"
        try:
            (building / CHECKPOINT_FOLDER).mkdir(parents=True)
            write_json(building / RUN_FILE, recorder.meta())
            os.rename(building, self.path / run_id)
        except OSError as exc:
            shutil.rmtree(building, ignore_errors=True)
            raise RunFileError(f"the run cannot be kept in {self.path}: "
                               f"{write_problem(exc)}") from None
        self._live[run_id] = recorder
        return recorder

    def recorder(self, run_id: str) -> RunRecorder | None:
        """The recorder of ``run_id`` while it is recording here, else None."""
        return self._live.get(run_id)

    # -- changing ---------------------------------------------------------------------
    def rename(self, run_id: str, name: str) -> Run:
        """Give a run a new name (ValueError for an empty or over-long name, and the run
        keeps its old one); returns the renamed run."""
        name = check_name(name)
        live = self._live.get(run_id)
        if live is not None:
            live.rename(name)
            return self.get(run_id)
        run = self.get(run_id)
        write_json(run.folder / RUN_FILE, dict(run.to_json(), name=name))
        return self.get(run_id)

    def delete(self, run_id: str) -> None:
        """Move a run to the trash (``runs/.trash``): :meth:`restore` brings it back
        until :meth:`empty_trash`. A run still recording cannot be deleted."""
        folder = self.get(run_id).folder
        if run_id in self._live:
            raise ValueError("a run cannot be deleted while it is recording; stop it first")
        trash = self.path / TRASH_FOLDER
        trash.mkdir(exist_ok=True)
        shutil.rmtree(trash / run_id, ignore_errors=True)
        os.rename(folder, trash / run_id)
        self._cache.pop(run_id, None)

    def deleted(self) -> list[str]:
        """The ids of the runs in the trash, newest first."""
        try:
            names = os.listdir(self.path / TRASH_FOLDER)
        except OSError:
            return []
        return sorted((n for n in names if _ID.match(n)), reverse=True)

    def restore(self, run_id: str) -> Run:
        """Bring a deleted run back from the trash (RunNotFound if it is not there)."""
        source = self.path / TRASH_FOLDER / self._check_id(run_id)
        if not source.is_dir():
            raise RunNotFound(f"run {run_id} is not in the trash")
        if (self.path / run_id).exists():
            raise ValueError(f"run {run_id} is kept already")
        os.rename(source, self.path / run_id)
        return self.get(run_id)

    def empty_trash(self, run_ids: Iterable[str] | None = None) -> None:
        """Delete the runs in the trash for good (all, or those of ``run_ids``)."""
        for run_id in self.deleted() if run_ids is None else run_ids:
            shutil.rmtree(self.path / TRASH_FOLDER / self._check_id(run_id),
                          ignore_errors=True)

    # -- comparing and exporting ------------------------------------------------------
    def differences(self, run_ids: Sequence[str]) -> dict[str, list]:
        """What differs between the runs ``run_ids`` (see :func:`core.runs.differences`)."""
        return differences([self.get(run_id) for run_id in run_ids])

    def export_csv(self, run_id: str, path: str | Path) -> Path:
        """Write a run's curves to ``path`` as CSV (see :mod:`core.runs.curves`)."""
        run = self.get(run_id)
        return write_csv(path, run.batches, run.epochs)
