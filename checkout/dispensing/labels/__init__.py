"""The dispensing label, its accessible HTML twin, the patient leaflet, the
packing slip and the outer shipping label, drawn from a fill."""
