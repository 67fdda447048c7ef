"""How long reading a large XLSX question file takes (the import path of the CLI and the upload page).

    .venv/bin/python bench/import_xlsx.py            # 10,000 varied bilingual questions
    .venv/bin/python bench/import_xlsx.py --look-alike   # worst case: every stem near-duplicates another
    .venv/bin/python bench/import_xlsx.py -n 50000 --repeat 3

Builds the questions in memory, writes them with ``question_bank.formats.write(..., "xlsx")`` and
times ``question_bank.formats.read`` on the bytes (detection, openpyxl parsing, row checks,
validation, duplicate search), best of ``--repeat`` runs.  It is a measurement, not a test: the
figure goes into ``docs/import-formats.md``.
"""

from __future__ import annotations

import argparse
import os
import pathlib
import platform
import random
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))

from question_bank.formats import read, write  # noqa: E402
from question_bank.model import Difficulty, Option, Pillar, Question, QuestionType  # noqa: E402

WORDS_VI = (
    "ASEAN Hiến chương cộng đồng kinh tế văn hóa xã hội chính trị an ninh Việt Nam Lào Campuchia Thái Lan "
    "Indonesia Malaysia Philippines Singapore Brunei Myanmar Timor-Leste năm thành lập thủ đô tuyên bố Bangkok "
    "hội nghị thượng đỉnh chủ tịch ban thư ký thương mại hàng hóa dịch vụ đầu tư du lịch giáo dục môi trường "
    "biển đảo hợp tác phát triển bền vững khu vực quốc gia thành viên tổ chức hiệp định"
).split()
WORDS_EN = (
    "ASEAN Charter community economic cultural social political security Vietnam Laos Cambodia Thailand "
    "Indonesia Malaysia Philippines Singapore Brunei Myanmar Timor-Leste year founded capital declaration "
    "Bangkok summit chair secretariat trade goods services investment tourism education environment sea "
    "cooperation sustainable development region member state organisation agreement"
).split()


def _sentence(rng: random.Random, words: list[str], length: int) -> str:
    return " ".join(rng.choice(words) for _ in range(length))


def build(count: int, look_alike: bool) -> list[Question]:
    rng = random.Random(2026)
    pillars, difficulties = list(Pillar), list(Difficulty)
    questions = []
    for n in range(count):
        if look_alike:
            stem_vi = f"Câu hỏi số {n} về Hiến chương ASEAN và các thể chế?"
            stem_en = f"Question {n} about the ASEAN Charter and its institutions?"
        else:
            stem_vi = f"{_sentence(rng, WORDS_VI, 14)} ({n})?"
            stem_en = f"{_sentence(rng, WORDS_EN, 12)} ({n})?"
        correct = rng.randrange(4)
        options = [
            Option({"vi": f"{_sentence(rng, WORDS_VI, 4)} {c}", "en": f"{_sentence(rng, WORDS_EN, 4)} {c}"}, i == correct)
            for i, c in enumerate("ABCD")
        ]
        questions.append(
            Question(
                QuestionType.SINGLE,
                {"vi": stem_vi, "en": stem_en},
                options,
                explanation={"vi": _sentence(rng, WORDS_VI, 20), "en": _sentence(rng, WORDS_EN, 18)},
                pillar=pillars[n % 4],
                tags=["asean", f"chu-de-{n % 40}"],
                difficulty=difficulties[n % 3],
                source="asean.org; Hiến chương ASEAN 2007",
                key=f"q-{n:05d}",
            )
        )
    return questions


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-n", "--count", type=int, default=10_000)
    parser.add_argument("--look-alike", action="store_true", help="stems that all near-duplicate each other")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()

    questions = build(args.count, args.look_alike)
    started = time.perf_counter()
    data = write(questions, "xlsx")
    written = time.perf_counter() - started
    timings, cpu = [], []
    for _ in range(args.repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = read(data, "bench.xlsx")
        timings.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    assert result.ok, [problem.describe("en") for problem in result.problems[:5]]
    assert len(result.questions) == args.count
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"python {platform.python_version()} on {platform.machine()} ({os.cpu_count()} CPUs, load {load:.1f}), "
          f"{args.count} questions"
          f"{' (look-alike stems)' if args.look_alike else ''}")
    print(f"file: {len(data) / 1e6:.1f} MB; write {written:.1f} s; read {min(timings):.1f} s wall, "
          f"{min(cpu):.1f} s CPU (best of {args.repeat}); "
          f"{len(result.warnings)} duplicate warnings")


if __name__ == "__main__":
    main()
