# a file that is there but is no image libvips can read
sed -i 's/^description: "A European test city with a tram network."$/&\nphotos:\n  - file: notes.png\n    alt: {en: A tram, zh: 有轨电车}/' content/cities/alpha.en.md
mkdir -p content/images
printf 'these are notes, not a picture\n' >content/images/notes.png
