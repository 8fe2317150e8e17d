printf -- '---\ntitle: Nul\n---\n\nab\0cd\n' > content/pages/nul.en.md
