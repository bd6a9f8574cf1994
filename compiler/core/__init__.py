"""The bottom layer: the positioned tree, diagnostics as values, the code table, did-you-mean,
URL credentials, secret placeholders and the one expected-failure exception. Imports nothing
else of swmlc, so every layer above may use it."""
