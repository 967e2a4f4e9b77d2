"""GET /api/lessons: the course as data (its experiments: server/experiment_routes.py).

The lessons are JSON files in server/lessons/, one per lesson, read and validated when this
module is imported (at app start), so a bad file stops the server and fails the tests instead
of surprising a learner. A deployment adds its own lessons with NNP_LESSONS_DIR (a folder of
lesson files, read and validated by create_app: a bad one stops the start with its name).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from fastapi import APIRouter
from pydantic import ValidationError

from server.errors import describe_validation_error
from server.protocol import (
    Lesson,
    LessonsResponse,
)
from server.state import AppStateDep

LESSONS_DIR = Path(__file__).parent / "lessons"

router = APIRouter(prefix="/api")


class LessonFileError(ValueError):
    """A lesson file that does not parse or validate; the message names the file."""


def read_lesson_files(directory: Path) -> list[tuple[str, Lesson]]:
    """(file name, lesson) for every `*.json` file in `directory`, validated, by file name.

    Raises LessonFileError, naming the file and the field, for a file that does not validate.
    """
    if not directory.is_dir():
        raise LessonFileError(f"{directory}: not a folder of lesson files")
    found = []
    for path in sorted(directory.glob("*.json")):
        try:
            found.append((path.name, Lesson.model_validate_json(path.read_bytes())))
        except ValidationError as exc:
            raise LessonFileError(f"{path}: {describe_validation_error(exc)}") from exc
        except OSError as exc:
            raise LessonFileError(f"{path}: cannot be read ({exc.strerror})") from exc
    return found


def order_lessons(found: list[tuple[str, Lesson]]) -> list[Lesson]:
    """The lessons ordered by number; numbers must run 1, 2, 3, … and ids be distinct.

    Raises LessonFileError naming the file whose number or id does not fit.
    """
    found = sorted(found, key=lambda item: item[1].number)
    seen: dict[str, str] = {}
    for expected, (name, lesson) in enumerate(found, start=1):
        if lesson.number != expected:
            raise LessonFileError(
                f"{name}: number: lesson numbers must run 1, 2, 3, … without gaps or repeats; "
                f"expected {expected}, got {lesson.number}"
            )
        if lesson.id in seen:
            raise LessonFileError(f"{name}: id: {lesson.id!r} is also the id of {seen[lesson.id]}")
        seen[lesson.id] = name
    return [lesson for _, lesson in found]


def load_lessons(directory: Path = LESSONS_DIR) -> list[Lesson]:
    """Every `*.json` lesson in `directory`, validated, ordered by number.

    Raises LessonFileError for a bad file, a repeated id or number, or numbers that skip.
    """
    return order_lessons(read_lesson_files(directory))


@cache
def lessons_response() -> LessonsResponse:
    """The built-in lessons as GET /api/lessons sends them, read once."""
    return LessonsResponse(lessons=load_lessons())


lessons_response()  # read at import: a bad lesson file stops the app from starting


def load_course(extra: Path | None) -> LessonsResponse:
    """The built-in lessons, then the lessons in `extra` (NNP_LESSONS_DIR), whose numbers go on
    from the built-in ones (after n built-in lessons, the first added one is number n + 1).

    Raises LessonFileError naming the file for anything that does not validate or fit.
    """
    if extra is None:
        return lessons_response()
    built_in = [(f"built-in lesson {x.number}", x) for x in lessons_response().lessons]
    return LessonsResponse(lessons=order_lessons(built_in + read_lesson_files(extra)))


@router.get("/lessons")
def lessons(state: AppStateDep) -> LessonsResponse:
    """Every lesson, in order: the built-in ones, then the deployment's own."""
    return state.lessons


@router.post("/lessons/validate")
def validate_lesson(body: Lesson) -> Lesson:
    """Checks a lesson file (e.g. one made by "Save as lesson") against the schema; a lesson
    that does not validate is answered 422 with the field and the reason."""
    return body
