from fastapi import APIRouter
from pydantic import BaseModel

from api import __version__
from api.deps import BackboneDep

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str
    version: str
    database: str
    revision: int


@router.get("/health")
def health(backbone: BackboneDep) -> Health:
    """Liveness and the revision of the data this process serves."""
    return Health(
        status="ok",
        version=__version__,
        database=backbone.db.url.get_backend_name(),
        revision=backbone.read_model.sync(),
    )
