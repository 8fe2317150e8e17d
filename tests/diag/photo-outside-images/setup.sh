# a photo path that climbs out of content/images/
sed -i 's/^description: "A European test city with a tram network."$/&\nphotos:\n  - file: ..\/..\/secret.png\n    alt: {en: A tram, zh: 有轨电车}/' content/cities/alpha.en.md
