"""The one exception type of the generator, so the CLI can tell refusals from bugs."""

from __future__ import annotations

from collections.abc import Iterable


class GenerationError(Exception):
    """A refusal or failure with a message meant for the person running the generator.

    ``problems`` lists every independent problem found (validation reports all of them at once,
    so a spec author fixes them in one go).
    """

    def __init__(self, summary: str, problems: Iterable[str] = ()) -> None:
        self.summary = summary
        self.problems = list(problems)
        super().__init__(self.render())

    def render(self) -> str:
        if not self.problems:
            return self.summary
        lines = [self.summary, *(f"  - {problem}" for problem in self.problems)]
        return "\n".join(lines)
