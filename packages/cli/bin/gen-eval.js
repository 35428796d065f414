#!/usr/bin/env node
// A committed entry point: npm links workspace bins at install time, before `prepare` has built
// dist/, and skips a bin whose target does not exist yet. This file always exists.
import '../dist/cli.js';
