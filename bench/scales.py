"""How much data each scale holds. `national`: every Turkish municipality over ten years (issue 8)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Scale:
    municipalities: int
    organisations: int
    users: int
    calls: int
    proposals: int
    versions: int
    assignments: int
    notifications: int
    events: int


SCALES = {
    "tiny": Scale(30, 10, 300, 40, 1_000, 4_000, 1_500, 10_000, 20),
    "small": Scale(150, 40, 2_000, 200, 10_000, 40_000, 15_000, 100_000, 100),
    "regional": Scale(400, 80, 6_000, 600, 30_000, 120_000, 45_000, 300_000, 300),
    # ten years of a union's capacity building: 100 events a year
    "national": Scale(1_400, 300, 20_000, 2_000, 100_000, 400_000, 150_000, 1_000_000, 1_000),
}
