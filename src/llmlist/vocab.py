"""Closed vocabularies of the catalog: kinds, categories, languages, countries, with display names."""

from __future__ import annotations

from typing import NamedTuple


class Term(NamedTuple):
    """A vocabulary value with its English and Chinese display names."""

    en: str
    zh: str


KINDS: dict[str, Term] = {
    "language-model": Term("Language model", "语言模型"),
    "multimodal-model": Term("Multimodal model", "多模态模型"),
    "word-vectors": Term("Word vectors", "词向量"),
    "model-collection": Term("Model collection", "模型合集"),
    "engine": Term("Deployment engine", "部署引擎"),
    "framework": Term("Framework", "开发框架"),
    "platform": Term("Platform", "应用平台"),
    "system": Term("Research system", "研究系统"),
}

# Kinds whose entries are models with checkpoints (the rest are software).
MODEL_KINDS = frozenset({"language-model", "multimodal-model", "word-vectors", "model-collection"})

CATEGORIES: dict[str, Term] = {
    "base": Term("Base model", "基座模型"),
    "chat": Term("Chat", "对话"),
    "instruct": Term("Instruction-tuned", "指令微调"),
    "code": Term("Code", "代码"),
    "medical": Term("Medical", "医疗"),
    "legal": Term("Legal", "法律"),
    "finance": Term("Finance", "金融"),
    "science": Term("Science", "科学"),
    "protein": Term("Protein", "蛋白质"),
    "multimodal": Term("Multimodal", "多模态"),
    "text-to-image": Term("Text to image", "文生图"),
    "embedding": Term("Embedding", "嵌入向量"),
    "retrieval": Term("Retrieval", "检索"),
    "translation": Term("Translation", "翻译"),
    "tool-use": Term("Tool use", "工具调用"),
    "agent": Term("Agent", "智能体"),
    "rag": Term("Knowledge base (RAG)", "知识库问答"),
    "database": Term("Database", "数据库"),
    "app-building": Term("App building", "应用构建"),
    "low-code": Term("Low-code", "低代码"),
    "fine-tuning": Term("Fine-tuning", "微调"),
    "training": Term("Training", "训练"),
    "serving": Term("Serving", "推理部署"),
    "on-device": Term("On-device", "端侧运行"),
    "browser": Term("In the browser", "浏览器"),
    "caching": Term("Caching", "缓存"),
    "robotics": Term("Robotics", "机器人"),
    "reproduction": Term("Open reproduction", "开源复现"),
}

# Every ISO 639-1 code: a catalog may name any of them.
ISO_639_1 = frozenset(
    (
        "aa ab ae af ak am an ar as av ay az ba be bg bh "
        "bi bm bn bo br bs ca ce ch co cr cs cu cv cy da "
        "de dv dz ee el en eo es et eu fa ff fi fj fo fr "
        "fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz "
        "ia id ie ig ii ik io is it iu ja jv ka kg ki kj "
        "kk kl km kn ko kr ks ku kv kw ky la lb lg li ln "
        "lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb "
        "nd ne ng nl nn no nr nv ny oc oj om or os pa pi "
        "pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk "
        "sl sm sn so sq sr ss st su sv sw ta te tg th ti "
        "tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo "
        "wa wo xh yi yo za zh zu "
    ).split()
)

# Display names for the languages the catalog uses; other codes are shown as the code.
LANGUAGES: dict[str, Term] = {
    "ar": Term("Arabic", "阿拉伯语"),
    "as": Term("Assamese", "阿萨姆语"),
    "bm": Term("Bambara", "班巴拉语"),
    "bn": Term("Bengali", "孟加拉语"),
    "ca": Term("Catalan", "加泰罗尼亚语"),
    "cs": Term("Czech", "捷克语"),
    "da": Term("Danish", "丹麦语"),
    "de": Term("German", "德语"),
    "el": Term("Greek", "希腊语"),
    "en": Term("English", "英语"),
    "es": Term("Spanish", "西班牙语"),
    "eu": Term("Basque", "巴斯克语"),
    "fa": Term("Persian", "波斯语"),
    "fi": Term("Finnish", "芬兰语"),
    "fr": Term("French", "法语"),
    "gu": Term("Gujarati", "古吉拉特语"),
    "he": Term("Hebrew", "希伯来语"),
    "hi": Term("Hindi", "印地语"),
    "hu": Term("Hungarian", "匈牙利语"),
    "id": Term("Indonesian", "印度尼西亚语"),
    "ig": Term("Igbo", "伊博语"),
    "it": Term("Italian", "意大利语"),
    "ja": Term("Japanese", "日语"),
    "kn": Term("Kannada", "卡纳达语"),
    "ko": Term("Korean", "韩语"),
    "ml": Term("Malayalam", "马拉雅拉姆语"),
    "mr": Term("Marathi", "马拉地语"),
    "ms": Term("Malay", "马来语"),
    "ne": Term("Nepali", "尼泊尔语"),
    "nl": Term("Dutch", "荷兰语"),
    "no": Term("Norwegian", "挪威语"),
    "or": Term("Odia", "奥里亚语"),
    "pa": Term("Punjabi", "旁遮普语"),
    "pl": Term("Polish", "波兰语"),
    "pt": Term("Portuguese", "葡萄牙语"),
    "ro": Term("Romanian", "罗马尼亚语"),
    "ru": Term("Russian", "俄语"),
    "rw": Term("Kinyarwanda", "卢旺达语"),
    "sv": Term("Swedish", "瑞典语"),
    "sw": Term("Swahili", "斯瓦希里语"),
    "ta": Term("Tamil", "泰米尔语"),
    "te": Term("Telugu", "泰卢固语"),
    "th": Term("Thai", "泰语"),
    "tr": Term("Turkish", "土耳其语"),
    "uk": Term("Ukrainian", "乌克兰语"),
    "ur": Term("Urdu", "乌尔都语"),
    "vi": Term("Vietnamese", "越南语"),
    "wo": Term("Wolof", "沃洛夫语"),
    "yo": Term("Yoruba", "约鲁巴语"),
    "zh": Term("Chinese", "中文"),
    "zu": Term("Zulu", "祖鲁语"),
}

# Extra words users type for a language: the Chinese names above are matched too.
LANGUAGE_WORDS: dict[str, str] = {
    "汉语": "zh",
    "中": "zh",
    "英文": "en",
    "英": "en",
    "mandarin": "zh",
    "russian": "ru",
}

# ISO 3166-1 alpha-2 codes seen in the catalog, with display names.
COUNTRIES: dict[str, Term] = {
    "AE": Term("United Arab Emirates", "阿联酋"),
    "CA": Term("Canada", "加拿大"),
    "CH": Term("Switzerland", "瑞士"),
    "CN": Term("China", "中国"),
    "DE": Term("Germany", "德国"),
    "FR": Term("France", "法国"),
    "GB": Term("United Kingdom", "英国"),
    "HK": Term("Hong Kong, China", "中国香港"),
    "IL": Term("Israel", "以色列"),
    "IN": Term("India", "印度"),
    "JP": Term("Japan", "日本"),
    "KR": Term("South Korea", "韩国"),
    "RU": Term("Russia", "俄罗斯"),
    "SG": Term("Singapore", "新加坡"),
    "US": Term("United States", "美国"),
}


class Bits(NamedTuple):
    """Bits one parameter takes at a precision: in the body of the model, and in the token
    embeddings and output head, which quantizers other than llama.cpp's leave at 16 bits."""

    weight: float
    embedding: float


# The one table of precisions: --quant, stated figures and estimates all read it.
PRECISIONS: dict[str, Bits] = {
    "fp32": Bits(32, 32),
    "fp16": Bits(16, 16),
    "bf16": Bits(16, 16),
    # DeepSeek-V3's FP8 keeps one scale per 128 x 128 block: a negligible 0.002 bits more.
    "fp8": Bits(8, 16),
    # bitsandbytes LLM.int8(): one int8 per weight plus one scale per row (negligible).
    "int8": Bits(8, 16),
    # GPTQ/AWQ with groups of 128: 4-bit weights, and per group and output column a 16-bit scale
    # and a 4-bit zero point (AutoGPTQ qlinear_cuda.py: `qzeros`, `scales` buffers), so
    # 4 + 20/128 bits.
    "int4": Bits(4 + 20 / 128, 16),
    # OCP Microscaling (MX) v1.0: 32 FP4 (E2M1) values share one 8-bit E8M0 scale, 4 + 8/32 bits.
    # gpt-oss ships its expert weights so.
    "mxfp4": Bits(4 + 8 / 32, 16),
    # GGUF types: llama.cpp's measured average over a whole Llama 2 7B file, embeddings and output
    # included (examples/quantize/README.md, "Llama 2 7B" table); Q8_0 stores 32 int8 values and one
    # fp16 scale, 34 bytes per 32 weights (8.5008 for Llama-3.1-8B in tools/quantize/README.md).
    "q8_0": Bits(8.5, 8.5),
    "q6_k": Bits(6.56, 6.56),
    "q5_k_m": Bits(5.68, 5.68),
    "q4_k_m": Bits(4.84, 4.84),
    "q3_k_m": Bits(3.91, 3.91),
    "q2_k": Bits(3.35, 3.35),
}

# Other words people use for a category, in English and Chinese.
CATEGORY_WORDS: dict[str, str] = {
    "medicine": "medical", "clinical": "medical", "health": "medical", "healthcare": "medical",
    "医学": "medical", "医药": "medical", "医生": "medical", "健康": "medical", "中医": "medical",
    "law": "legal", "laws": "legal", "法律": "legal", "司法": "legal", "法务": "legal",
    "financial": "finance", "fintech": "finance", "财经": "finance", "金融": "finance",
    "coding": "code", "programming": "code", "编程": "code", "代码生成": "code",
    "vision": "multimodal", "视觉": "multimodal", "图文": "multimodal",
    "agents": "agent", "agentic": "agent", "embeddings": "embedding", "向量": "embedding",
    "translate": "translation", "机器翻译": "translation",
}  # fmt: skip

# Chinese (and short) names of organizations, with a word of the organization's English name to
# look for: '清华' finds 'Tsinghua University KEG (THUDM)'.
ORGANIZATION_WORDS: dict[str, tuple[str, ...]] = {
    "清华": ("tsinghua", "thudm", "zhipu"), "清华大学": ("tsinghua",), "智谱": ("zhipu", "z.ai"),
    "北大": ("peking university",), "北京大学": ("peking university",), "复旦": ("fudan",),
    "复旦大学": ("fudan",), "阿里": ("alibaba",), "阿里巴巴": ("alibaba",), "阿里云": ("alibaba",),
    "通义": ("alibaba",), "百度": ("baidu",), "腾讯": ("tencent",), "深度求索": ("deepseek",),
    "月之暗面": ("moonshot",), "上海人工智能实验室": ("shanghai ai lab",), "上海ai实验室": ("shanghai ai lab",),
    "智源": ("baai", "beijing academy of artificial intelligence"), "华为": ("huawei",),
    "字节": ("bytedance",), "字节跳动": ("bytedance",), "小米": ("xiaomi",), "美团": ("meituan",),
    "蚂蚁": ("ant group", "inclusionai"), "零一万物": ("01.ai",), "百川": ("baichuan",),
    "面壁": ("modelbest", "openbmb"), "哈工大": ("harbin institute",), "中科院": ("chinese academy of sciences",),
    "人民大学": ("renmin",), "人大": ("renmin",), "浙大": ("zhejiang university",),
    "浙江大学": ("zhejiang university",),
    "鹏城": ("peng cheng",), "鹏城实验室": ("peng cheng",), "元象": ("xverse",), "昆仑万维": ("kunlun", "skywork"),
    "阶跃星辰": ("stepfun",), "稀宇": ("minimax",), "谷歌": ("google",), "微软": ("microsoft",),
    "英伟达": ("nvidia",), "斯坦福": ("stanford",), "港中文": ("chinese university of hong kong",),
    "香港中文大学": ("chinese university of hong kong",), "度小满": ("du xiaoman",), "同济": ("tongji",),
    "南京大学": ("nanjing university",), "南大": ("nanjing university",), "中山大学": ("sun yat-sen",),
    "上海交大": ("shanghai jiao tong",), "上海交通大学": ("shanghai jiao tong",), "商汤": ("sensetime",),
}  # fmt: skip
