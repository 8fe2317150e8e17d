# a photo without the text a reader who cannot see it gets, and one whose
# alt text lacks a language
sed -i 's/^description: "A European test city with a tram network."$/&\nphotos:\n  - file: a.png\n  - file: b.png\n    alt: {en: A tram}/' content/cities/alpha.en.md
