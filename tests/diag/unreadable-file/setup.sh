ln -s /nonexistent/file.md content/pages/gone.en.md
