: > content/pages/empty.en.md
