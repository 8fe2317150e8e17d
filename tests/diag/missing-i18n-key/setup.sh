sed -i '/^photo_credits:/d' layouts/i18n/zh.yaml
