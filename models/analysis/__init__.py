"""Pure analyses of a trained network: output grids, linear regions, health checks."""
