{ printf -- '---\ntitle: Deep\ndescription: '; for i in $(seq 100); do printf '['; done; for i in $(seq 100); do printf ']'; done; printf '\n---\n\nBody.\n'; } > content/pages/deep.en.md
