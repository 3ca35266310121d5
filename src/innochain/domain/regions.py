"""China's province-level divisions: English (pinyin) name, Chinese name, ISO 3166-2 code."""

from __future__ import annotations

__all__ = ["PROVINCES", "province_zh"]

# name_en -> (name_zh, ISO 3166-2 code); ISO 3166-2:CN codes as revised in 2017.
PROVINCES: dict[str, tuple[str, str]] = {
    "Beijing": ("北京", "CN-BJ"),
    "Tianjin": ("天津", "CN-TJ"),
    "Hebei": ("河北", "CN-HE"),
    "Shanxi": ("山西", "CN-SX"),
    "Inner Mongolia": ("内蒙古", "CN-NM"),
    "Liaoning": ("辽宁", "CN-LN"),
    "Jilin": ("吉林", "CN-JL"),
    "Heilongjiang": ("黑龙江", "CN-HL"),
    "Shanghai": ("上海", "CN-SH"),
    "Jiangsu": ("江苏", "CN-JS"),
    "Zhejiang": ("浙江", "CN-ZJ"),
    "Anhui": ("安徽", "CN-AH"),
    "Fujian": ("福建", "CN-FJ"),
    "Jiangxi": ("江西", "CN-JX"),
    "Shandong": ("山东", "CN-SD"),
    "Henan": ("河南", "CN-HA"),
    "Hubei": ("湖北", "CN-HB"),
    "Hunan": ("湖南", "CN-HN"),
    "Guangdong": ("广东", "CN-GD"),
    "Guangxi": ("广西", "CN-GX"),
    "Hainan": ("海南", "CN-HI"),
    "Chongqing": ("重庆", "CN-CQ"),
    "Sichuan": ("四川", "CN-SC"),
    "Guizhou": ("贵州", "CN-GZ"),
    "Yunnan": ("云南", "CN-YN"),
    "Tibet": ("西藏", "CN-XZ"),
    "Shaanxi": ("陕西", "CN-SN"),
    "Gansu": ("甘肃", "CN-GS"),
    "Qinghai": ("青海", "CN-QH"),
    "Ningxia": ("宁夏", "CN-NX"),
    "Xinjiang": ("新疆", "CN-XJ"),
    "Hong Kong": ("香港", "CN-HK"),
    "Macau": ("澳门", "CN-MO"),
    "Taiwan": ("台湾", "CN-TW"),
}


def province_zh(name_en: str | None) -> str:
    """Chinese name of a province given its English name, or '' if unknown.

    >>> province_zh("Guangdong")
    '广东'
    >>> province_zh("Bavaria")
    ''
    """
    entry = PROVINCES.get(name_en or "")
    return entry[0] if entry else ""
