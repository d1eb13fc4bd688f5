#!/bin/sh
# Rebuild the translation catalogues: extract every string marked for translation,
# merge them into the fr, nl and en catalogues, and compile the .mo files the app reads.
# New strings appear untranslated (empty msgstr) in the .po files: translate them, then
# run this script again (or only its last step) to compile.
#   scripts/i18n.sh            extract + update + compile
#   scripts/i18n.sh --check    also fail when a fr or nl string is untranslated or fuzzy
set -eu
cd "$(dirname "$0")/.."
DIR=memoire/translations
POT=$DIR/messages.pot
LOCALES="fr nl en"

pybabel extract -F babel.cfg --no-wrap --sort-by-file \
    -k _l -k lazy_gettext -k lazy_ngettext:1,2 -k lazy_pgettext:1c,2 \
    --project=memoire -o "$POT" .

for locale in $LOCALES; do
    po=$DIR/$locale/LC_MESSAGES/messages.po
    if [ -f "$po" ]; then
        # No fuzzy matching: a guessed translation of a changed sentence is worse than none.
        pybabel update -i "$POT" -d "$DIR" -l "$locale" --no-wrap --no-fuzzy-matching --ignore-obsolete
    else
        pybabel init -i "$POT" -d "$DIR" -l "$locale" --no-wrap
    fi
done

# English is the language of the msgids: its catalogue is the identity.
python - "$DIR/en/LC_MESSAGES/messages.po" <<'PY'
import sys
from babel.messages.pofile import read_po, write_po
path = sys.argv[1]
with open(path, "rb") as fh:
    catalog = read_po(fh, locale="en")
# A catalogue made anew by `pybabel init` is marked fuzzy as a whole, and compile skips it.
catalog.fuzzy = False
for message in catalog:
    if not message.id:
        continue
    if isinstance(message.id, tuple):
        message.string = tuple(message.id[i] if i < len(message.id) else message.id[-1]
                               for i in range(len(message.string) or 2))
    else:
        message.string = message.id
    message.flags.discard("fuzzy")
with open(path, "wb") as fh:
    write_po(fh, catalog, width=0)
PY

pybabel compile -d "$DIR" --statistics

if [ "${1:-}" = "--check" ]; then
    python - "$DIR" <<'PY'
import sys
from pathlib import Path
from babel.messages.pofile import read_po
missing = 0
for locale in ("fr", "nl"):
    with open(Path(sys.argv[1]) / locale / "LC_MESSAGES" / "messages.po", "rb") as fh:
        catalog = read_po(fh, locale=locale)
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            missing += 1
            print(f"{locale}: untranslated: {message.id!r}")
sys.exit(1 if missing else 0)
PY
fi
