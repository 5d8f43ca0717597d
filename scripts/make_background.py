#!/usr/bin/env python3
"""Builds data/background_en.txt, the background English word frequencies shipped in the crate.

Source: wordfreq 3.1.1 (PyPI), file wordfreq/data/small_en.msgpack.gz: English word frequencies
from Wikipedia, subtitles, news, books, web text and more (Robyn Speer et al.). The wordfreq
data is licensed CC BY-SA 4.0 (https://creativecommons.org/licenses/by-sa/4.0/); so is the file
this script writes, which is a reformatting of it.

Usage: pip install wordfreq==3.1.1 msgpack && scripts/make_background.py > data/background_en.txt

Output: one line per frequency bucket, "<centibels>\t<word> <word> ...", where a word's
frequency is 10^(-centibels/100) (the `cB` format of wordfreq). Words with spaces are dropped.
"""
import gzip
import importlib.util
import os
import sys

import msgpack

spec = importlib.util.find_spec("wordfreq")
path = os.path.join(os.path.dirname(spec.origin), "data", "small_en.msgpack.gz")
buckets = msgpack.unpackb(gzip.open(path).read(), raw=False)
assert buckets[0]["format"] == "cB", buckets[0]
out = sys.stdout
out.write("# English word frequencies from wordfreq 3.1.1 (small_en), CC BY-SA 4.0.\n")
out.write("# Format: centibels<TAB>words; frequency = 10^(-centibels/100). See scripts/make_background.py.\n")
for cb, words in enumerate(buckets[1:]):
    words = [w for w in words if " " not in w and "\t" not in w]
    if words:
        out.write(f"{cb}\t{' '.join(words)}\n")
