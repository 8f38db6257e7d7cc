"""Words that demo names are built from, each with the plans' category it belongs to.

Categories are those of DOMAIN.md ("Categories"): 科技创新类, 产业发展类, 工商服务类,
社会服务类, 公益慈善类 for legal persons; 公益慈善类, 生活服务类, 社区事务类, 文体活动类 and
(rural) 农村自我管理自我服务类 for community organizations.
"""

from __future__ import annotations

# 社会团体: "<place><topic><suffix>", e.g. 鄞州区青少年体育协会
GROUP_TOPICS: dict[str, tuple[str, ...]] = {
    "科技创新类": ("软件行业", "人工智能", "科学技术", "电子信息", "新材料", "科普", "智能制造"),
    "产业发展类": ("模具行业", "服装行业", "家电行业", "电子商务", "港航物流", "水产", "茶叶"),
    "工商服务类": ("个体劳动者", "企业家", "会计", "广告", "质量管理", "外商投资企业", "物业管理"),
    "社会服务类": ("青少年体育", "老年人体育", "志愿者", "养老服务", "社会工作", "家庭教育"),
    "公益慈善类": ("慈善", "助残", "关爱留守儿童", "扶贫济困", "红十字志愿者"),
}
GROUP_SUFFIXES = ("协会", "协会", "协会", "商会", "学会", "研究会", "促进会", "联合会")

# 社会服务机构: "<place><brand><type>", e.g. 鄞州区阳光养老服务中心
AGENCY_BRANDS = (
    "阳光", "启明", "彩虹", "博雅", "康宁", "益心", "明德", "未来", "星光", "同心",
    "和美", "春晖", "育才", "乐龄", "善爱", "德馨", "晨曦", "向日葵", "知行", "睿思",
)  # fmt: skip
AGENCY_TYPES: dict[str, tuple[str, ...]] = {
    "社会服务类": (
        "养老服务中心", "培训学校", "幼儿园", "康复中心", "社会工作服务社",
        "居家养老服务中心", "职业技能培训学校", "托育中心",
    ),
    "科技创新类": ("科技研究院", "技术创新服务中心"),
    "产业发展类": ("产业研究院", "农业科技服务中心"),
    "工商服务类": ("人才发展服务中心", "企业服务中心"),
    "公益慈善类": ("公益服务中心", "慈善服务中心"),
}  # fmt: skip
# the register is mostly social services: weights per category of the types above
AGENCY_WEIGHTS = {
    "社会服务类": 80,
    "科技创新类": 5,
    "产业发展类": 5,
    "工商服务类": 5,
    "公益慈善类": 5,
}

# 基金会: "<place><topic>基金会", e.g. 宁波市教育发展基金会
FOUNDATION_TOPICS = (
    "慈善", "教育发展", "见义勇为", "扶贫", "文化发展", "体育发展", "青少年发展", "社区发展",
)  # fmt: skip

# 社区社会组织: "<community><topic>", e.g. 尚隆苑社区舞蹈队, 五里村红白理事会
COMMUNITY_TOPICS: dict[str, tuple[str, ...]] = {
    "文体活动类": ("舞蹈队", "合唱团", "书画社", "太极拳队", "读书会", "摄影社", "腰鼓队"),
    "生活服务类": ("邻里互助队", "养老互助会", "便民服务队", "四点半课堂", "家政服务队"),
    "公益慈善类": ("志愿服务队", "爱心帮扶队", "慈善工作站", "助残服务队"),
    "社区事务类": ("平安巡逻队", "调解委员会", "业主互助会", "环保志愿队", "垃圾分类督导队"),
}
RURAL_TOPICS: dict[str, tuple[str, ...]] = {
    "农村自我管理自我服务类": ("红白理事会", "村民议事会", "乡贤参事会", "老年协会", "道德评议会"),
}

# The end of a community unit's name that is not part of its place name.
COMMITTEE_ENDINGS = (("居民委员会", ""), ("居委会", ""), ("村民委员会", "村"), ("村委会", "村"))


def community_short(name: str) -> str:
    """尚隆苑社区居委会 → 尚隆苑社区, 五里村委会 → 五里村."""
    for ending, keep in COMMITTEE_ENDINGS:
        if name.endswith(ending):
            return name[: -len(ending)] + keep
    return name.removesuffix("委员会")
