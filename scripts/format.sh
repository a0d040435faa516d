#!/bin/sh
# Reformats src, test, scripts and bench with Biome (biome.jsonc), then checks format and lint.
# Run once after the branches are merged (issue #20, 8), then commit the result as its own commit.
set -e
cd "$(dirname "$0")/.."
npx biome format --write
npx biome ci --error-on-warnings
