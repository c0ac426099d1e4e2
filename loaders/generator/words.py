"""Word pools: people's names, place names, and the bodies every region has.

Data only.  Surname weights follow the published frequency of China's most
common surnames (per cent of the population); given names lean on the common
ones so that duplicate names (two different 王伟) occur as they do in life.
"""
from __future__ import annotations

SURNAMES: tuple[tuple[str, float], ...] = (
    ("王", 7.12), ("李", 7.00), ("张", 6.68), ("刘", 5.38), ("陈", 4.53), ("杨", 3.08),
    ("黄", 2.21), ("赵", 2.01), ("吴", 1.93), ("周", 1.87), ("徐", 1.52), ("孙", 1.42),
    ("马", 1.38), ("朱", 1.28), ("胡", 1.26), ("郭", 1.15), ("何", 1.14), ("罗", 1.06),
    ("高", 1.06), ("林", 1.02), ("郑", 0.81), ("梁", 0.81), ("谢", 0.77), ("宋", 0.74),
    ("唐", 0.73), ("许", 0.71), ("韩", 0.63), ("冯", 0.63), ("邓", 0.62), ("曹", 0.60),
    ("彭", 0.57), ("曾", 0.55), ("肖", 0.54), ("田", 0.52), ("董", 0.52), ("潘", 0.50),
    ("袁", 0.50), ("蔡", 0.49), ("蒋", 0.49), ("余", 0.47), ("于", 0.47), ("杜", 0.45),
    ("叶", 0.45), ("程", 0.45), ("魏", 0.42), ("苏", 0.42), ("吕", 0.41), ("丁", 0.40),
    ("任", 0.40), ("卢", 0.38), ("姚", 0.38), ("沈", 0.38), ("钟", 0.38), ("姜", 0.37),
    ("崔", 0.36), ("谭", 0.35), ("陆", 0.34), ("范", 0.33), ("汪", 0.33), ("廖", 0.33),
    ("石", 0.32), ("金", 0.31), ("韦", 0.30), ("贾", 0.30), ("夏", 0.30), ("付", 0.30),
    ("方", 0.30), ("邹", 0.27), ("熊", 0.26), ("白", 0.26), ("孟", 0.26), ("秦", 0.26),
    ("邱", 0.25), ("侯", 0.25), ("江", 0.25), ("尹", 0.24), ("薛", 0.24), ("闫", 0.24),
    ("段", 0.23), ("雷", 0.22), ("龙", 0.21), ("黎", 0.21), ("史", 0.21), ("陶", 0.21),
    ("贺", 0.20), ("毛", 0.20), ("郝", 0.20), ("顾", 0.19), ("龚", 0.19), ("邵", 0.18),
    ("万", 0.18), ("覃", 0.17), ("武", 0.17), ("钱", 0.17), ("戴", 0.16), ("严", 0.16),
    ("欧阳", 0.05), ("莫", 0.16), ("孔", 0.15), ("向", 0.15), ("常", 0.15), ("汤", 0.15),
)

#: Common given names, most common first (weights fall off like Zipf's law).
GIVEN_MALE_COMMON: tuple[str, ...] = (
    "伟", "强", "磊", "军", "勇", "杰", "涛", "斌", "超", "明", "刚", "平", "辉", "鹏",
    "华", "飞", "波", "建华", "建国", "建军", "志强", "志明", "海涛", "俊杰", "国强",
    "宇", "浩", "凯", "健", "林", "峰", "亮", "东", "文", "龙", "兵", "锋", "彬", "洋",
)
GIVEN_FEMALE_COMMON: tuple[str, ...] = (
    "芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "燕", "玲", "婷", "丹", "萍", "红",
    "秀英", "桂英", "秀兰", "丽娟", "晓燕", "海燕", "雪梅", "春梅", "婷婷", "玉兰", "慧",
    "莉", "琳", "颖", "倩", "洁", "梅", "英", "佳", "欣", "蓉", "琴", "红梅", "小红",
)
GIVEN_MALE_FIRST = "志建国文德永俊晓海明家子宇浩天振立春新卫红少光伟鹏云学世连长"
GIVEN_MALE_SECOND = "强华军明杰伟平刚龙林涛峰辉波斌东成勇宁超军忠良生祥荣胜武斌清"
GIVEN_FEMALE_FIRST = "秀桂丽晓海雪春玉美静慧佳欣雨思梦淑小红凤金月彩爱文瑞亚翠"
GIVEN_FEMALE_SECOND = "英兰娟燕梅芳萍华玲霞琴云丽娜婷敏洁珍莉芬红蓉怡琳颖倩艳"

#: Characters for fictional place names (first, second syllable).
PLACE_FIRST = (
    "青白金新双温彭崇邛蒲大龙华安德宁平昌乐永兴福寿河石东西南北中洛松柏桂云"
    "清凤鹤白黄红光明太长万广汉仁荣隆昭元通达丰盛泰和顺利宝高三五七九马牛"
)
PLACE_SECOND = (
    "江堂津流州阳泉山桥河溪湖塘坝坪口湾沟场庙寺营屯关城水林峰岭源田家店铺"
    "集滩洲岗垭桥渡池井台坡园庄冲坎寨镇埠岩门亭谷川岸湖陵原垣沙泽阁"
)
VILLAGE_NAMES = (
    "红星", "光明", "新民", "白马", "石桥", "胜利", "和平", "团结", "先锋", "民主",
    "幸福", "永兴", "东风", "前进", "新华", "建设", "长丰", "太平", "金山", "龙泉",
)

COUNTY_SUFFIX = (("县", 0.55), ("区", 0.35), ("市", 0.10))
TOWNSHIP_SUFFIX = (("镇", 0.62), ("乡", 0.18), ("街道", 0.20))

# ---------------------------------------------------------------------------
# Bodies every region at county level and above has.  Each entry:
# (key, name pattern, sector, kind, office, parent key, exempt from 巡察).
# ``{R}`` is the region's name, ``{局}`` is 局 (厅 at province level).
# Ordered by priority: a small synthetic region keeps the first ones.
# ---------------------------------------------------------------------------
Body = tuple[str, str, str, str, str, str | None, bool]

BODIES: tuple[Body, ...] = (
    ("discipline", "{R}纪委监委", "纪检监察", "党政机关", "discipline", None, True),
    ("inspection", "{R}委巡察办", "巡察", "党政机关", "inspection", None, True),
    ("organization", "中共{R}委组织部", "组织", "党政机关", "party_dept", None, False),
    ("edu", "{R}教育{局}", "教育", "党政机关", "bureau", None, False),
    ("finance", "{R}财政{局}", "财政", "党政机关", "bureau", None, False),
    ("housing", "{R}住房和城乡建设{局}", "住建", "党政机关", "bureau", None, False),
    ("health", "{R}卫生健康{局}", "卫健", "党政机关", "bureau", None, False),
    ("transport", "{R}交通运输{局}", "交通", "党政机关", "bureau", None, False),
    ("agri", "{R}农业农村{局}", "农业农村", "党政机关", "bureau", None, False),
    ("land", "{R}自然资源{局}", "自然资源", "党政机关", "bureau", None, False),
    ("civil", "{R}民政{局}", "民政", "党政机关", "bureau", None, False),
    ("hr", "{R}人力资源和社会保障{局}", "人社", "党政机关", "bureau", None, False),
    ("market", "{R}市场监督管理局", "市场监管", "党政机关", "bureau", None, False),
    ("soe", "{R}国有资产监督管理委员会", "国资", "党政机关", "bureau", None, False),
    ("audit", "{R}审计{局}", "审计", "党政机关", "bureau", None, False),
    ("propaganda", "中共{R}委宣传部", "宣传", "党政机关", "party_dept", None, False),
    ("party_office", "中共{R}委办公室", "综合", "党政机关", "office", None, False),
    ("gov_office", "{R}人民政府办公室", "综合", "党政机关", "office", None, False),
    ("united_front", "中共{R}委统战部", "统战", "党政机关", "party_dept", None, False),
    ("law", "中共{R}委政法委员会", "政法", "党政机关", "party_dept", None, False),
    ("reform", "{R}发展和改革{局}", "发改", "党政机关", "bureau", None, False),
    ("police", "{R}公安{局}", "政法", "党政机关", "bureau", None, False),
    ("justice", "{R}司法{局}", "政法", "党政机关", "bureau", None, False),
    ("ecology", "{R}生态环境{局}", "生态环境", "党政机关", "bureau", None, False),
    ("water", "{R}水务{局}", "水务", "党政机关", "bureau", None, False),
    ("commerce", "{R}商务{局}", "商务", "党政机关", "bureau", None, False),
    ("culture", "{R}文化广播电视和旅游{局}", "文旅", "党政机关", "bureau", None, False),
    ("veterans", "{R}退役军人事务{局}", "退役军人", "党政机关", "bureau", None, False),
    ("emergency", "{R}应急管理{局}", "应急", "党政机关", "bureau", None, False),
    ("stats", "{R}统计{局}", "统计", "党政机关", "bureau", None, False),
    ("medicare", "{R}医疗保障{局}", "医保", "党政机关", "bureau", None, False),
    ("forestry", "{R}林业{局}", "林业", "党政机关", "bureau", None, False),
    ("petition", "{R}信访{局}", "信访", "党政机关", "bureau", None, False),
    ("approval", "{R}行政审批{局}", "政务服务", "党政机关", "bureau", None, False),
    ("hospital1", "{R}人民医院", "卫健", "事业单位", "hospital", "health", False),
    ("school1", "{R}第一中学", "教育", "事业单位", "school", "edu", False),
    ("invest", "{R}城市建设投资有限公司", "国资", "国有企业", "soe", "soe", False),
    ("hospital2", "{R}中医医院", "卫健", "事业单位", "hospital", "health", False),
    ("school2", "{R}第二中学", "教育", "事业单位", "school", "edu", False),
    ("transport_co", "{R}交通投资有限公司", "国资", "国有企业", "soe", "soe", False),
    ("school3", "{R}实验小学", "教育", "事业单位", "school", "edu", False),
    ("cdc", "{R}疾病预防控制中心", "卫健", "事业单位", "center", "health", False),
    ("agri_co", "{R}农业投资发展有限公司", "国资", "国有企业", "soe", "soe", False),
    ("school4", "{R}实验中学", "教育", "事业单位", "school", "edu", False),
    ("hospital3", "{R}妇幼保健院", "卫健", "事业单位", "hospital", "health", False),
    ("water_co", "{R}水务投资有限公司", "国资", "国有企业", "soe", "soe", False),
    ("school5", "{R}职业高级中学", "教育", "事业单位", "school", "edu", False),
    ("registry", "{R}不动产登记中心", "自然资源", "事业单位", "center", "land", False),
    ("school6", "{R}城关第一小学", "教育", "事业单位", "school", "edu", False),
    ("asset_co", "{R}国有资产经营有限公司", "国资", "国有企业", "soe", "soe", False),
    ("agri_center", "{R}农业技术推广中心", "农业农村", "事业单位", "center", "agri", False),
    ("school7", "{R}城关第二小学", "教育", "事业单位", "school", "edu", False),
    ("roads", "{R}公路养护管理中心", "交通", "事业单位", "center", "transport", False),
    ("jobs", "{R}就业服务中心", "人社", "事业单位", "center", "hr", False),
    ("school8", "{R}第三中学", "教育", "事业单位", "school", "edu", False),
    ("welfare", "{R}社会福利院", "民政", "事业单位", "center", "civil", False),
    ("media", "{R}融媒体中心", "宣传", "事业单位", "center", "propaganda", False),
    ("tour_co", "{R}文化旅游发展有限公司", "国资", "国有企业", "soe", "soe", False),
    ("school9", "{R}特殊教育学校", "教育", "事业单位", "school", "edu", False),
    ("kinder", "{R}第一幼儿园", "教育", "事业单位", "school", "edu", False),
    ("affairs", "{R}机关事务服务中心", "综合", "事业单位", "center", "gov_office", False),
    ("landfill", "{R}环境卫生管理所", "住建", "事业单位", "center", "housing", False),
)

#: Sectors whose bodies hold a region's inspectors (巡察干部 come from here).
INSPECTOR_BODIES = ("discipline", "inspection", "organization")
#: Bodies a team member is often seconded (抽调) from.
SECONDMENT_BODIES = ("audit", "finance")

TOWNSHIP_SECTOR = "乡镇"
VILLAGE_SECTOR = "村(社区)"

# ---------------------------------------------------------------------------
# Posts (slots) by office: (title, is_top_leader, min count, max count).
# ``{科}`` becomes 股 (county), 科 (city) or 处 (province); ``{长}`` the head
# of a township (镇长 / 乡长 / 街道办事处主任).
# ---------------------------------------------------------------------------
Slot = tuple[str, bool, int, int]

OFFICES: dict[str, tuple[Slot, ...]] = {
    "discipline": (("书记、监委主任", True, 1, 1), ("副书记", False, 1, 2),
                   ("常委", False, 1, 2), ("纪检监察室主任", False, 2, 3)),
    "inspection": (("主任", True, 1, 1), ("副主任", False, 1, 1),
                   ("巡察组组长", False, 1, 2)),
    "party_dept": (("部长", True, 1, 1), ("副部长", False, 1, 2), ("{科}长", False, 1, 2)),
    "office": (("主任", True, 1, 1), ("副主任", False, 1, 2)),
    "bureau": (("党组书记、局长", True, 1, 1), ("副局长", False, 1, 3),
               ("办公室主任", False, 0, 1), ("{科}长", False, 1, 2)),
    "hospital": (("党委书记", True, 1, 1), ("院长", False, 1, 1), ("副院长", False, 1, 2)),
    "school": (("党支部书记、校长", True, 1, 1), ("副校长", False, 1, 2)),
    "soe": (("党委书记、董事长", True, 1, 1), ("总经理", False, 1, 1),
            ("副总经理", False, 1, 2), ("财务总监", False, 0, 1)),
    "center": (("主任", True, 1, 1), ("副主任", False, 1, 1)),
    "township": (("党委书记", True, 1, 1), ("{长}", False, 1, 1), ("党委副书记", False, 1, 1),
                 ("纪委书记", False, 1, 1), ("组织委员", False, 1, 1),
                 ("副{长}", False, 1, 2), ("党政办主任", False, 0, 1)),
    "clinic": (("院长", True, 1, 1), ("副院长", False, 0, 1)),
    "village": (("村党支部书记、村委会主任", True, 1, 1), ("村委会副主任", False, 0, 1),
                ("村委委员", False, 1, 1), ("村务监督委员会主任", False, 0, 1)),
    "community": (("社区党委书记、居委会主任", True, 1, 1), ("居委会副主任", False, 0, 1),
                  ("社区委员", False, 1, 1)),
}

#: Titles an inspector of a cross-inspection team holds at home.
INSPECTOR_TITLES = ("纪检监察干部", "巡察专员", "一级主任科员", "二级主任科员", "组织员",
                    "巡察组副组长", "三级主任科员", "纪检监察室副主任")
TOWNSHIP_INSPECTOR_TITLES = ("纪委副书记", "纪检干事", "党建办主任", "组织干事",
                             "党政办副主任", "综治办主任")
SPECIALTIES = ("财务审计", "纪检监察", "组织人事", "法律", "工程管理", "基层党建",
               "文字综合", "信息技术")
