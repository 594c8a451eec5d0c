"""A progress bar for batches on a terminal, drawn by rich below the lines a batch prints."""

from __future__ import annotations

import sys
from types import TracebackType

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

FEW = 8  # a batch of this many documents or fewer finishes before a bar would tell anything


def wanted(choice: bool | None, total: int) -> bool:
    """Show a bar when asked, or by default when standard error is a terminal and the batch is not small."""
    if choice is not None:
        return choice and total > 0
    return total > FEW and sys.stderr.isatty()


class Bar:
    """Lines printed above a live bar on standard error; each line whole, as it would be without it.

    The bar is redrawn only between lines (rich clears it, prints the line, draws it again), so
    a diagnostic line is never cut by the bar; it goes away when the batch ends.
    """

    def __init__(self, total: int, label: str = "encoding"):
        # soft wrap and no markup: a line is printed as it is, however long or bracketed.
        self.console = Console(stderr=True, soft_wrap=True, markup=False, highlight=False, emoji=False)
        self.progress = Progress(
            TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), TextColumn("eta"),
            TimeRemainingColumn(), console=self.console, transient=True, redirect_stdout=False, redirect_stderr=False,
        )
        self.task = self.progress.add_task(label, total=total)

    def __enter__(self) -> Bar:
        self.progress.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None) -> None:
        self.progress.stop()

    def say(self, line: str) -> None:
        self.console.print(line, markup=False, highlight=False, emoji=False, soft_wrap=True)

    def advance(self) -> None:
        self.progress.advance(self.task)
