from fastapi import APIRouter
from pydantic import BaseModel

from api.models.common import Translated
from indicators.progress import ASSESSMENT_LABELS, STATUS_LABELS

router = APIRouter(prefix="/statuses", tags=["progress"])


class Label(BaseModel):
    code: str
    label: Translated


class Statuses(BaseModel):
    status: list[Label]
    assessment: list[Label]


@router.get("")
def statuses() -> Statuses:
    """The stable codes of the trajectory statuses and of the progress measure, with their labels in nl/de/en."""
    return Statuses(
        status=[Label(code=code.value, label=labels) for code, labels in STATUS_LABELS.items()],
        assessment=[Label(code=code.value, label=labels) for code, labels in ASSESSMENT_LABELS.items()],
    )
