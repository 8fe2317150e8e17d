# a file name in Latin-1 (0xE9 for é): echoed as \xE9, the line valid UTF-8
printf -- '---\ntitle: Café\n---\n\nText.\n' >"content/pages/caf$(printf '\351').en.md"
