"""A call's rubric as data, and the rules that turn a review's marks into one score.

A rubric is weighted criteria. Each has a stable `key`, per-locale `label` and `guidance`, a
`weight` (> 0), a scale `minimum`..`maximum` (whole numbers) and whether "not applicable"
is allowed. A review's marks map criterion keys to a whole number on that scale or to "na".

The review's score, 0 to 100: each marked criterion's position on its own scale
((mark - minimum) / (maximum - minimum)), averaged with the criteria's weights and times
100. A criterion marked not applicable is left out of the average (its weight with it):
never counted as zero. A review marking every criterion not applicable has no score.

Besides the marks, every review gives a recommendation (fund / fund with changes / do not
fund) and a confidence (low / medium / high). Pure: no I/O.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from app.forms import invalid
from app.i18n import Msg
from app.i18n import lazy_gettext as _l
from grants.calls.formdef import Key, Text, _texts

NOT_APPLICABLE = "na"
MAX_CRITERIA = 20


class Criterion(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    key: Key
    label: dict[str, Text]
    guidance: dict[str, Text] = {}
    weight: float = Field(default=1.0, gt=0, le=100)
    minimum: int = Field(default=1, ge=0, le=100)
    maximum: int = Field(default=5, ge=1, le=100)
    allow_na: bool = False

    _label = field_validator("label")(_texts)

    @model_validator(mode="after")
    def _scale(self) -> Criterion:
        if self.maximum <= self.minimum:
            raise invalid(_l("A criterion's highest score must be above its lowest."))
        return self


class Rubric(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    criteria: list[Criterion] = Field(min_length=1, max_length=MAX_CRITERIA)

    @model_validator(mode="after")
    def _unique_keys(self) -> Rubric:
        keys = [c.key for c in self.criteria]
        if len(set(keys)) != len(keys):
            raise invalid(_l("Each criterion needs its own key."))
        return self


def clean_marks(rubric: Rubric, given: dict[str, Any], *, complete: bool
                ) -> tuple[dict[str, int | str], dict[str, str]]:
    """The marks that are valid, and a message per criterion that is not. With `complete`
    (submitting), a criterion left blank is a problem too; a draft may leave it blank."""
    marks: dict[str, int | str] = {}
    errors: dict[str, str] = {}
    for criterion in rubric.criteria:
        value = given.get(criterion.key)
        if value is None or value == "":
            if complete:
                errors[criterion.key] = _l("Give a score.")
            continue
        if value == NOT_APPLICABLE:
            if criterion.allow_na:
                marks[criterion.key] = NOT_APPLICABLE
            else:
                errors[criterion.key] = _l("This criterion applies to every application: "
                                           "give a score.")
            continue
        number = _whole(value)
        if number is None or not criterion.minimum <= number <= criterion.maximum:
            errors[criterion.key] = Msg(_l("Give a whole number from %(minimum)s to "
                                           "%(maximum)s."), minimum=criterion.minimum,
                                        maximum=criterion.maximum)
            continue
        marks[criterion.key] = number
    return marks, errors


def _whole(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit() and len(value) < 6:
        return int(value.strip())
    return None


def score(rubric: Rubric, marks: dict[str, int | str]) -> float | None:
    """The review's weighted score from 0 to 100; None when no criterion was scored."""
    total = weights = 0.0
    for criterion in rubric.criteria:
        mark = marks.get(criterion.key)
        if not isinstance(mark, int):  # not applicable, or not given
            continue
        position = (mark - criterion.minimum) / (criterion.maximum - criterion.minimum)
        total += criterion.weight * position
        weights += criterion.weight
    return round(100 * total / weights, 4) if weights else None


def _t(en: str, es: str, fr: str, pt: str, sw: str) -> dict[str, str]:
    return {"en": en, "es": es, "fr": fr, "pt": pt, "sw": sw}


DEFAULT_RUBRIC: dict[str, Any] = {"criteria": [
    {"key": "relevance", "weight": 3, "minimum": 1, "maximum": 5,
     "label": _t("Relevance to the co-op's challenge", "Pertinencia para el desafío de la "
                 "cooperativa", "Pertinence face au défi de la coopérative",
                 "Relevância para o desafio da cooperativa",
                 "Umuhimu kwa changamoto ya chama"),
     "guidance": _t("Is the problem real, important to members, and well explained?",
                    "¿El problema es real, importante para las socias y socios, y está bien "
                    "explicado?",
                    "Le problème est-il réel, important pour les membres et bien expliqué ?",
                    "O problema é real, importante para os membros e bem explicado?",
                    "Je, tatizo ni halisi, muhimu kwa wanachama, na limeelezwa vizuri?")},
    {"key": "feasibility", "weight": 2, "minimum": 1, "maximum": 5,
     "label": _t("Feasibility of the plan", "Viabilidad del plan", "Faisabilité du plan",
                 "Viabilidade do plano", "Uwezekano wa mpango"),
     "guidance": _t("Can the co-op do this with its people, time and budget?",
                    "¿Puede la cooperativa hacerlo con su gente, su tiempo y su presupuesto?",
                    "La coopérative peut-elle le faire avec ses gens, son temps et son budget ?",
                    "A cooperativa consegue fazê-lo com a sua gente, o seu tempo e o seu "
                    "orçamento?",
                    "Je, chama kinaweza kufanya hili kwa watu, muda na bajeti yake?")},
    {"key": "reach", "weight": 2, "minimum": 1, "maximum": 5,
     "label": _t("Members reached, women and youth included",
                 "Socios alcanzados, incluidas mujeres y jóvenes",
                 "Membres touchés, femmes et jeunes compris",
                 "Membros alcançados, incluindo mulheres e jovens",
                 "Wanachama watakaofikiwa, wakiwemo wanawake na vijana"),
     "guidance": _t("How many members benefit, and are women and young people among them?",
                    "¿Cuántos socios se benefician y hay mujeres y jóvenes entre ellos?",
                    "Combien de membres en profitent, et y a-t-il des femmes et des jeunes ?",
                    "Quantos membros beneficiam, e há mulheres e jovens entre eles?",
                    "Wanachama wangapi watanufaika, na je wanawake na vijana wamo?")},
    {"key": "sustainability", "weight": 1, "minimum": 1, "maximum": 5, "allow_na": True,
     "label": _t("Lasting after the grant", "Continuidad después de la donación",
                 "Durabilité après la subvention", "Continuidade depois do apoio",
                 "Kudumu baada ya ruzuku"),
     "guidance": _t("Will the benefit continue once the money is spent? Not applicable for "
                    "one-off events.",
                    "¿Seguirá el beneficio cuando se gaste el dinero? No aplica a eventos "
                    "únicos.",
                    "Le bénéfice durera-t-il une fois l'argent dépensé ? Sans objet pour un "
                    "événement ponctuel.",
                    "O benefício continua depois de gasto o dinheiro? Não se aplica a eventos "
                    "pontuais.",
                    "Je, manufaa yataendelea fedha zikishatumika? Haihusiki kwa matukio ya "
                    "mara moja.")},
]}
