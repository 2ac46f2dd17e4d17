# Entry points; everything is in scripts/dm.sh so it also works without make.
.PHONY: run test bench lint stop setup shell screenshots

run:          ## set up, then serve Odoo 19 with the addons and demo data on :8069
	@bash scripts/dm.sh run

test:         ## set up, then run lint, pytest-odoo and the browser tests
	@bash scripts/dm.sh test

bench:        ## set up, then run the benchmark at 1k, 10k and 100k devices (about 15 min)
	@bash scripts/dm.sh bench

lint:
	@bash scripts/dm.sh lint

stop:         ## stop the server and the private PostgreSQL cluster
	@bash scripts/dm.sh stop

setup:
	@bash scripts/dm.sh setup

shell:
	@bash scripts/dm.sh shell

screenshots:  ## README screenshots from a running `make run` server (ARGS="--url … --db …" to change)
	@.local/venv/bin/python scripts/screenshots.py $(ARGS)
