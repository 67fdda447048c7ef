"""ASEAN Quiz question domain: the question model, validation, grading and the interchange
formats (native JSON, XLSX, CSV, Moodle XML, GIFT, Aiken).

Pure Python: this package never imports flask, sqlalchemy, redis or quiz.
"""

from .grading import MAX_SCORE, grade, max_score
from .markup import fold, markup_problems, sanitize, similarity, slugify, stem_fingerprint, to_plain_text
from .model import LANGUAGES, Difficulty, Option, Pillar, Question, QuestionType
from .validation import Location, Problem, missing_images, validate

__all__ = [
    "LANGUAGES",
    "MAX_SCORE",
    "Difficulty",
    "Location",
    "Option",
    "Pillar",
    "Problem",
    "Question",
    "QuestionType",
    "fold",
    "grade",
    "markup_problems",
    "max_score",
    "missing_images",
    "sanitize",
    "similarity",
    "slugify",
    "stem_fingerprint",
    "to_plain_text",
    "validate",
]
