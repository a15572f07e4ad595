"""The benchmark: how many clients one bot serves, how fast, in how much memory.

Run `python -m bench` (or `make bench`); `--quick` for a smoke run, `--only PART` for one
part, `--clients N` for the number of simulated Telegram users. See bench/__main__.py.
"""
