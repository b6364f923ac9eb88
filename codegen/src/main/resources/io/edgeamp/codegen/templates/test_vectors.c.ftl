/* Test vectors of model ${m.name} (see test_vectors.h). ${vectors.note} */
#include "test_vectors.h"

const int8_t ea_test_inputs[EA_TEST_VECTOR_COUNT][EA_MODEL_INPUT_BYTES] = {
<#list vectors.inputs as v>
    /* vector ${v?index}<#if vectors.labels[v?index]?has_content>: ${vectors.labels[v?index]}</#if> */
    {
<#list v as line>
        ${line}<#sep>,</#sep>
</#list>
    }<#sep>,</#sep>
</#list>
};

const int8_t ea_test_expected[EA_TEST_VECTOR_COUNT][EA_MODEL_OUTPUT_BYTES] = {
<#list vectors.expected as v>
    /* vector ${v?index} */
    {
<#list v as line>
        ${line}<#sep>,</#sep>
</#list>
    }<#sep>,</#sep>
</#list>
};
