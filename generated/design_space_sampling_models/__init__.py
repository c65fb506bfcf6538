# Generated from schema/ by scripts/generate; do not edit by hand.
# Change the schema and run scripts/generate instead.
