# The two commands: `make run` (install, migrate, load the demo, serve) and `make test` (the whole suite).
.PHONY: run test test-suite lint demo-province

run:
	@sh scripts/run.sh

test:
	@sh scripts/test.sh

# The suite alone, without lint (CI runs it a second time on PostgreSQL).
test-suite:
	@SUITE_ONLY=1 sh scripts/test.sh

lint:
	@LINT_ONLY=1 sh scripts/test.sh
