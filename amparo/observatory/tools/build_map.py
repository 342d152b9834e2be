"""Build the observatory's geographic data files, once, offline.

Run by hand when the inputs change (never at run time, never in CI):

    cd /tmp && npm pack world-atlas@2.0.2 i18n-iso-countries@7.14.0
    mkdir atlas names && tar xzf world-atlas-2.0.2.tgz -C atlas \
        && tar xzf i18n-iso-countries-7.14.0.tgz -C names
    .venv/bin/python -m amparo.observatory.tools.build_map /tmp/atlas/package /tmp/names/package

Inputs:
- world-atlas 2.0.2 (ISC licence): `countries-110m.json`, Natural Earth's 1:110m admin-0
  countries (public domain) as TopoJSON, keyed by ISO 3166-1 numeric code.
- i18n-iso-countries 7.14.0 (MIT licence): `codes.json` (alpha-2, alpha-3, numeric) and the
  country names in each of Amparo's seven languages.

Outputs, committed under `amparo/observatory/geodata/`:
- `world_110m.json`: the view box and, per alpha-2 code, one SVG path in the Equal Earth
  projection with integer coordinates (Antarctica left out: no policies, much ink).
- `countries.json`: per alpha-2 code, the numeric code, the UN M49 region and sub-region
  (table below) and the name in each language.

Equal Earth is an equal-area projection: a choropleth coloured by country should not make
high-latitude countries look larger than they are.
"""

from __future__ import annotations

import itertools
import json
import math
import sys
from pathlib import Path
from typing import Any

LANGUAGES = ("en", "es", "fr", "pt", "id", "th", "sw")
OUT = Path(__file__).resolve().parent.parent / "geodata"

#: Width of the map in SVG units; coordinates are rounded to whole units.
WIDTH = 1000
#: A ring with fewer distinct points is smaller than a unit: nothing to see at this size.
MIN_POINTS = 3
HALF_TURN = 180.0

#: Shapes Natural Earth draws apart from their ISO country, or with no ISO code. Drawn as
#: part of the country ISO 3166-1 lists (N. Cyprus, Somaliland); Kosovo under the code most
#: data sets use for it.
UNNUMBERED = {"N. Cyprus": "CY", "Somaliland": "SO", "Kosovo": "XK"}
LEFT_OUT = {"AQ"}

#: The first name i18n-iso-countries lists is its official form; a few read better short.
NAME_OVERRIDES = {
    ("en", "CI"): "Côte d'Ivoire",
    ("en", "CN"): "China",
}

#: UN M49 sub-regions (with Taiwan and Kosovo placed where M49 would place them), by region.
M49: dict[str, dict[str, str]] = {
    "africa": {
        "northern_africa": "DZ EG LY MA SD TN EH",
        "sub_saharan_africa": (
            "IO BI KM DJ ER ET TF KE MG MW MU YT MZ RE RW SC SO SS UG TZ ZM ZW "
            "AO CM CF TD CG CD GQ GA ST "
            "BW SZ LS NA ZA "
            "BJ BF CV CI GM GH GN GW LR ML MR NE NG SH SN SL TG"
        ),
    },
    "americas": {
        "latin_america_caribbean": (
            "AI AG AW BS BB BQ VG KY CU CW DM DO GD GP HT JM MQ MS PR BL KN LC MF VC SX TT TC VI "
            "BZ CR SV GT HN MX NI PA "
            "AR BO BV BR CL CO EC FK GF GY PY PE GS SR UY VE"
        ),
        "northern_america": "BM CA GL PM US",
    },
    "asia": {
        "central_asia": "KZ KG TJ TM UZ",
        "eastern_asia": "CN HK MO KP JP MN KR TW",
        "south_eastern_asia": "BN KH ID LA MY MM PH SG TH TL VN",
        "southern_asia": "AF BD BT IN IR MV NP PK LK",
        "western_asia": "AM AZ BH CY GE IQ IL JO KW LB OM QA SA PS SY TR AE YE",
    },
    "europe": {
        "eastern_europe": "BY BG CZ HU PL MD RO RU SK UA",
        "northern_europe": "AX DK EE FO FI GG IS IE IM JE LV LT NO SJ SE GB",
        "southern_europe": "AL AD BA HR GI GR VA IT MT ME MK PT SM RS SI ES XK",
        "western_europe": "AT BE FR DE LI LU MC NL CH",
    },
    "oceania": {
        "australia_new_zealand": "AU CX CC HM NZ NF",
        "melanesia": "FJ NC PG SB VU",
        "micronesia": "GU KI MH FM NR MP PW UM",
        "polynesia": "AS CK PF NU PN WS TK TO TV WF",
    },
}

# Equal Earth (Šavrič, Patterson, Jenny 2018), as d3-geo writes it.
A1, A2, A3, A4 = 1.340264, -0.081106, 0.000893, 0.003796
M = math.sqrt(3) / 2


def equal_earth(lon: float, lat: float) -> tuple[float, float]:
    lam, phi = math.radians(lon), math.radians(lat)
    theta = math.asin(M * math.sin(phi))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = lam * math.cos(theta) / (M * (A1 + 3 * A2 * t2 + t6 * (7 * A3 + 9 * A4 * t2)))
    y = theta * (A1 + A2 * t2 + t6 * (A3 + A4 * t2))
    return x, y


def decode_arcs(topology: dict[str, Any]) -> list[list[tuple[float, float]]]:
    """TopoJSON's quantised, delta-encoded arcs as longitude/latitude lists."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring(arcs: list[list[tuple[float, float]]], indexes: list[int]) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc if not points else arc[1:])
    return points


Point = tuple[float, float]


def _crossing(a: Point, b: Point, lon: float) -> Point:
    t = (lon - a[0]) / (b[0] - a[0])
    return lon, a[1] + t * (b[1] - a[1])


def _clip(points: list[Point], lon: float, keep_west: bool) -> list[Point]:
    """Sutherland-Hodgman against one meridian: the part of the ring on one side of it."""

    def inside(point: Point) -> bool:
        return point[0] <= lon if keep_west else point[0] >= lon

    out: list[Point] = []
    for index, current in enumerate(points):
        previous = points[index - 1]
        if inside(current):
            if not inside(previous):
                out.append(_crossing(previous, current, lon))
            out.append(current)
        elif inside(previous):
            out.append(_crossing(previous, current, lon))
    return out


def split_antimeridian(points: list[Point]) -> list[list[Point]]:
    """Natural Earth's Fiji and Russia have rings that jump from 180 to -180 degrees; drawn as
    they are, they streak across the whole map. Make each such ring continuous, then keep the
    part of it, and of its copies 360 degrees east and west, that falls within the map."""
    if not any(abs(a[0] - b[0]) > HALF_TURN for a, b in itertools.pairwise(points)):
        return [points]
    unwrapped = [points[0]]
    for raw_lon, lat in points[1:]:
        previous = unwrapped[-1][0]
        # The nearest copy of this longitude to the previous point's.
        lon = raw_lon + round((previous - raw_lon) / (2 * HALF_TURN)) * 2 * HALF_TURN
        unwrapped.append((lon, lat))
    pieces = []
    for shift in (0.0, 2 * HALF_TURN, -2 * HALF_TURN):
        shifted = [(lon + shift, lat) for lon, lat in unwrapped]
        piece = _clip(_clip(shifted, HALF_TURN, keep_west=True), -HALF_TURN, keep_west=False)
        if len(piece) >= MIN_POINTS:
            pieces.append(piece)
    return pieces


def polygons(geometry: dict[str, Any]) -> list[list[list[int]]]:
    if geometry["type"] == "Polygon":
        return [geometry["arcs"]]
    if geometry["type"] == "MultiPolygon":
        return list(geometry["arcs"])
    return []


def path_data(rings: list[list[tuple[int, int]]]) -> str:
    """`M x y l dx dy ... z` per ring: relative moves keep the numbers short."""
    parts = []
    for points in rings:
        x0, y0 = points[0]
        steps = []
        for (ax, ay), (bx, by) in itertools.pairwise(points):
            steps.append(f"{bx - ax} {by - ay}")
        body = " ".join(steps).replace(" -", "-")
        parts.append(f"M{x0} {y0}l{body}z")
    return "".join(parts)


def project_rings(
    lonlat_rings: list[list[tuple[float, float]]], scale: float, left: float, top: float
) -> list[list[tuple[int, int]]]:
    projected = []
    for points in lonlat_rings:
        out: list[tuple[int, int]] = []
        for lon, lat in points:
            x, y = equal_earth(lon, lat)
            point = (round((x - left) * scale), round((top - y) * scale))
            if not out or out[-1] != point:
                out.append(point)
        if len(out) > 1 and out[0] == out[-1]:
            out.pop()
        if len(set(out)) >= MIN_POINTS:
            projected.append(out)
    return projected


def build(atlas: Path, names_package: Path) -> None:
    topology = json.loads((atlas / "countries-110m.json").read_text(encoding="utf-8"))
    codes = json.loads((names_package / "codes.json").read_text(encoding="utf-8"))
    alpha2_by_numeric = {numeric: alpha2 for alpha2, _alpha3, numeric, _iso in codes}
    arcs = decode_arcs(topology)

    shapes: dict[str, list[list[tuple[float, float]]]] = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        code = alpha2_by_numeric.get(geometry.get("id", "")) or UNNUMBERED.get(
            geometry["properties"]["name"], ""
        )
        if not code:
            raise SystemExit(f"no ISO code for {geometry['properties']['name']}")
        if code in LEFT_OUT:
            continue
        for polygon in polygons(geometry):
            for indexes in polygon:
                shapes.setdefault(code, []).extend(split_antimeridian(ring(arcs, indexes)))

    xs, ys = [], []
    for rings in shapes.values():
        for points in rings:
            for lon, lat in points:
                x, y = equal_earth(lon, lat)
                xs.append(x)
                ys.append(y)
    left, right, bottom, top = min(xs), max(xs), min(ys), max(ys)
    scale = WIDTH / (right - left)
    height = math.ceil((top - bottom) * scale)
    paths = {
        code: path_data(project_rings(rings, scale, left, top))
        for code, rings in sorted(shapes.items())
    }
    world = {"width": WIDTH, "height": height, "paths": paths}
    (OUT / "world_110m.json").write_text(
        json.dumps(world, separators=(",", ":"), sort_keys=True) + "\n", encoding="utf-8"
    )

    names = {
        language: json.loads(
            (names_package / "langs" / f"{language}.json").read_text(encoding="utf-8")
        )["countries"]
        for language in LANGUAGES
    }
    placed = {
        code: (region, subregion)
        for region, subregions in M49.items()
        for subregion, listed in subregions.items()
        for code in listed.split()
    }
    countries = {}
    for alpha2, _alpha3, numeric, _iso in codes:
        if alpha2 in LEFT_OUT:
            continue
        if alpha2 not in placed:
            raise SystemExit(f"{alpha2} has no M49 region")
        region, subregion = placed[alpha2]
        countries[alpha2] = {
            "numeric": numeric,
            "region": region,
            "subregion": subregion,
            "names": {
                language: NAME_OVERRIDES.get((language, alpha2)) or _first(names[language][alpha2])
                for language in LANGUAGES
            },
        }
    (OUT / "countries.json").write_text(
        json.dumps(countries, ensure_ascii=False, indent=0, sort_keys=True) + "\n",
        encoding="utf-8",
    )
    print(f"{len(paths)} shapes, {len(countries)} countries, {WIDTH}x{height}")


def _first(name: str | list[str]) -> str:
    return name[0] if isinstance(name, list) else name


if __name__ == "__main__":
    build(Path(sys.argv[1]), Path(sys.argv[2]))
