# The two commands: `make run` (install, migrate, load the demo, serve) and `make test` (the whole suite).
.PHONY: run test test-suite test-clock lint demo-province

run:
	@sh scripts/run.sh

test:
	@sh scripts/test.sh

# The suite alone, without lint (CI runs it a second time on PostgreSQL).
test-suite:
	@SUITE_ONLY=1 sh scripts/test.sh

# The suite alone at the moments that broke it (Vietnam time): 23:30 on the month's last day and 00:30
# on the 1st of the next (tests/conftest.py NAMED_CLOCKS; in December those are the year's edges).
# One moment of your choice: make test-clock CLOCK=2027-01-01T00:30:00+07:00
TEST_CLOCKS = month-end month-start
test-clock:
	@for clock in $(or $(CLOCK),$(TEST_CLOCKS)); do \
		CHIBO_TEST_CLOCK=$$clock SUITE_ONLY=1 sh scripts/test.sh || exit 1; \
	done

lint:
	@LINT_ONLY=1 sh scripts/test.sh
