"""Reports: the pieces a report notebook shows, the runner that executes and exports them."""
