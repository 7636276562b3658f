// worldmap.mjs turns the world-atlas package's country outlines (Natural
// Earth 1:110m, public domain) into views/worldmap.txt: one line per
// country, "ISO-numeric<TAB>name<TAB>SVG path", projected once with the
// Equal Earth projection that views/map.go uses for the cities' points
// (the same constants), in a 1000-unit wide frame. Antarctica is left out.
//
// Run once, from the repository root, with world-atlas and topojson-client
// installed anywhere (no network at run time of the app):
//
//	npm install --prefix /tmp/atlas world-atlas@2 topojson-client@3
//	NODE_PATH=/tmp/atlas/node_modules node views/worldmap.mjs /tmp/atlas/node_modules/world-atlas/countries-110m.json > views/worldmap.txt
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const topojson = require("topojson-client");

const A1 = 1.340264, A2 = -0.081106, A3 = 0.000893, A4 = 0.003796, M = Math.sqrt(3) / 2;
// The frame: Equal Earth's x spans ±2.7064 and y ±1.3173 for the globe.
const SCALE = 1000 / (2 * 2.7064), TOP = 1.3173;

function project(lon, lat) {
  const l = (lon * Math.PI) / 180, p = (lat * Math.PI) / 180;
  const t = Math.asin(M * Math.sin(p)), t2 = t * t, t6 = t2 * t2 * t2;
  const x = (l * Math.cos(t)) / (M * (A1 + 3 * A2 * t2 + t6 * (7 * A3 + 9 * A4 * t2)));
  const y = t * (A1 + A2 * t2 + t6 * (A3 + A4 * t2));
  return [(x + 2.7064) * SCALE, (TOP - y) * SCALE];
}

const topo = JSON.parse(readFileSync(process.argv[2], "utf8"));
const world = topojson.feature(topo, topo.objects.countries);
const r = (v) => Math.round(v * 10) / 10;
const lines = [];
for (const f of world.features) {
  if (!f.geometry || f.properties.name === "Antarctica") continue;
  const polys = f.geometry.type === "Polygon" ? [f.geometry.coordinates] : f.geometry.coordinates;
  let d = "";
  for (const poly of polys) {
    for (const ring of poly) {
      let prevLon = null, last = "", n = 0, part = "";
      for (let [lon, lat] of ring) {
        // Keep a ring that crosses the antimeridian in one piece; the
        // SVG's frame clips what falls outside.
        if (prevLon !== null && lon - prevLon > 180) lon -= 360;
        if (prevLon !== null && lon - prevLon < -180) lon += 360;
        prevLon = lon;
        const [x, y] = project(lon, lat);
        const pt = `${r(x)} ${r(y)}`;
        if (pt === last) continue;
        part += (n === 0 ? "M" : "L") + pt;
        last = pt;
        n++;
      }
      if (n >= 3) d += part + "Z";
    }
  }
  if (d) lines.push(`${f.id ?? ""}\t${f.properties.name}\t${d}`);
}
lines.sort();
process.stdout.write(lines.join("\n") + "\n");
