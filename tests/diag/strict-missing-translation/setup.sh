rm content/pages/about.zh.md
