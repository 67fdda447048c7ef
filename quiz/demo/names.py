"""Realistic Vietnamese full names for demo pupils, drawn reproducibly."""
from __future__ import annotations

import random

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ",
          "Ngô", "Dương", "Lý", "Trương", "Đinh", "Lâm", "Mai"]
# Weighted like real registers: Nguyễn is by far the most common family name.
FAMILY_WEIGHTS = [38, 11, 9, 7, 5, 4, 4, 4, 4, 2, 2, 2, 2, 1.5, 1, 1, 1, 1, 1, 1]
MIDDLE_MALE = ["Văn", "Minh", "Quốc", "Gia", "Hoàng", "Thanh", "Đức", "Hữu", "Công", "Bảo", "Anh", "Tuấn"]
MIDDLE_FEMALE = ["Thị", "Ngọc", "Thu", "Thanh", "Khánh", "Phương", "Bảo", "Minh", "Mỹ", "Hoài", "Thùy", "Kim"]
GIVEN_MALE = ["An", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hiếu", "Huy", "Khang", "Khoa", "Kiên", "Long",
              "Minh", "Nam", "Nghĩa", "Phúc", "Quân", "Sơn", "Tâm", "Thắng", "Thịnh", "Trí", "Trung", "Tuấn",
              "Việt", "Vinh", "Lộc", "Hùng", "Đông", "Phong"]
GIVEN_FEMALE = ["Anh", "Châu", "Chi", "Giang", "Hà", "Hạnh", "Hằng", "Hương", "Lan", "Linh", "Loan", "Mai",
                "My", "Ngân", "Ngọc", "Nhi", "Nhung", "Oanh", "Phương", "Quỳnh", "Thảo", "Thư", "Trang",
                "Trâm", "Tuyết", "Uyên", "Vân", "Vy", "Xuân", "Yến"]


def full_name(rng: random.Random) -> tuple[str, str]:
    """A (full name, gender) pair such as ("Trần Thị Thu Trang", "Nữ")."""
    family = rng.choices(FAMILY, weights=FAMILY_WEIGHTS)[0]
    if rng.random() < 0.5:
        middle, given, gender = MIDDLE_MALE, GIVEN_MALE, "Nam"
    else:
        middle, given, gender = MIDDLE_FEMALE, GIVEN_FEMALE, "Nữ"
    parts = [family, rng.choice(middle)]
    if rng.random() < 0.2:
        second = rng.choice(middle)
        if second != parts[1]:
            parts.append(second)
    parts.append(rng.choice(given))
    return " ".join(parts), gender
