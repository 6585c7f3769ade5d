"""Tests of the AAF reader (parser, value decoders, deliveries)."""
