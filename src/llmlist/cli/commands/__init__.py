"""The commands of `llmlist`, one module each.

A command turns its options into typed values, makes one library call, hands the answer to
`terminal.emit` and returns; errors are raised and become exit codes in one place, `app.main`.
"""
